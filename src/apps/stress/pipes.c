/*
 * Data through pipes, checked end to end.  A producer sends records
 *
 *     header (8 bytes: seq:32 | stream:20 | len:12) | len bytes | checksum (8 bytes)
 *
 * whose payload bytes follow from (stream, seq, index), in writes of
 * random sizes that cut records anywhere; the consumer reads in random
 * sizes too, into a buffer that a fork may have left shared copy-on-write
 * (so the kernel's copy out breaks it), and checks the sequence, every
 * payload byte and the checksum (FNV-1a over header and payload).
 */
#include "stress.h"

enum {
	MAX_PAYLOAD = 2000,
	RECORD_MAX = 8 + MAX_PAYLOAD + 8,
	CHUNK_MAX = 6000,
};

/* Shared copy-on-write with every child forked after a read into it. */
static unsigned char io_buf[CHUNK_MAX];
static unsigned char record[RECORD_MAX];

static unsigned char
payload_byte(uint32_t stream, uint32_t seq, int i)
{
	uint32_t x = stream * 2654435761u ^ seq * 40503u ^ (uint32_t)i * 97u;
	return (unsigned char)(x ^ x >> 13 ^ (uint32_t)i >> 8);
}

static uint64_t
checksum(const unsigned char *p, int n)
{
	uint64_t h = 0xcbf29ce484222325UL;

	for (int i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3UL;
	return h;
}

/* Build record seq of stream at rec; its length. */
static int
make_record(unsigned char *rec, uint32_t stream, uint32_t seq, int len)
{
	uint64_t header = (uint64_t)seq << 32 | (uint64_t)(stream & 0xfffff) << 12 | (uint64_t)len;

	memcpy(rec, &header, 8);
	for (int i = 0; i < len; i++)
		rec[8 + i] = payload_byte(stream, seq, i);
	uint64_t sum = checksum(rec, 8 + len);
	memcpy(rec + 8 + len, &sum, 8);
	return 8 + len + 8;
}

/*
 * The producer's side: `records` records on fd, in writes of random sizes.
 * A write refused because every reader is gone (our reader was killed)
 * ends the stream quietly.
 */
void
stream_produce(int fd, uint32_t stream, struct rng *r, int records)
{
	int have = 0;

	for (int seq = 0; seq < records; seq++) {
		int len = (int)rng_below(r, MAX_PAYLOAD + 1);
		if (have + RECORD_MAX > CHUNK_MAX || rng_below(r, 4) == 0) {
			for (int off = 0; off < have; ) {
				int n = 1 + (int)rng_below(r, (uint64_t)(have - off));
				if (write(fd, io_buf + off, n) != n)
					return;
				off += n;
			}
			have = 0;
		}
		have += make_record(io_buf + have, stream, (uint32_t)seq, len);
	}
	if (have > 0 && write(fd, io_buf, have) != have)
		return;
}

/* Check one whole record against what record seq of the stream must be. */
static bool
check_record(struct stream_reader *sr, int len)
{
	uint64_t header, sum;

	memcpy(&header, record, 8);
	memcpy(&sum, record + 8 + len, 8);
	uint32_t seq = (uint32_t)(header >> 32), stream = (uint32_t)(header >> 12 & 0xfffff);
	if (seq != sr->next_seq || stream != sr->stream)
		return report("pipe stream %u: expected record %u, found header %#lx "
			      "(stream %u, record %u)", sr->stream, sr->next_seq,
			      (unsigned long)header, stream, seq);
	for (int i = 0; i < len; i++) {
		unsigned char want = payload_byte(sr->stream, seq, i);
		if (record[8 + i] != want)
			return report("pipe stream %u record %u: payload byte %d is %#x, "
				      "expected %#x", sr->stream, seq, i, record[8 + i], want);
	}
	uint64_t want_sum = checksum(record, 8 + len);
	if (sum != want_sum)
		return report("pipe stream %u record %u: checksum %#lx, expected %#lx", sr->stream,
			      seq, (unsigned long)sum, (unsigned long)want_sum);
	sr->next_seq++;
	return true;
}

/* Feed n bytes to the record being assembled; false on a bad record. */
static bool
feed(struct stream_reader *sr, const unsigned char *p, int n)
{
	while (n > 0) {
		int need = 8;
		if (sr->have >= 8) {
			int len = record[0] | (record[1] & 0x0f) << 8;
			if (len > MAX_PAYLOAD)
				return report("pipe stream %u record %u: length %d", sr->stream,
					      sr->next_seq, len);
			need = 8 + len + 8;
		}
		int take = need - sr->have < n ? need - sr->have : n;
		memcpy(record + sr->have, p, take);
		sr->have += take;
		p += take;
		n -= take;
		if (sr->have == need && need > 8) {
			if (!check_record(sr, need - 16))
				return false;
			sr->have = 0;
		}
	}
	return true;
}

/*
 * Read the stream to its end, in reads of random sizes.  A stream cut in
 * the middle of a record is right only when cut_ok (its producer was
 * killed); the caller checks the record count.
 */
bool
stream_consume(struct stream_reader *sr, struct rng *r, bool cut_ok)
{
	for (;;) {
		long n = read(sr->fd, io_buf, 1 + rng_below(r, CHUNK_MAX));
		if (n < 0)
			return report("pipe stream %u: read failed after %lu bytes", sr->stream,
				      (unsigned long)sr->bytes);
		if (n == 0)
			break;
		sr->bytes += (uint64_t)n;
		if (!feed(sr, io_buf, (int)n))
			return false;
	}
	if (sr->have && !cut_ok)
		return report("pipe stream %u: ends inside record %u (%d bytes of it)", sr->stream,
			      sr->next_seq, sr->have);
	return true;
}
