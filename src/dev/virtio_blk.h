/* The virtio block device that holds the file system (one disk). */
#ifndef DEV_VIRTIO_BLK_H
#define DEV_VIRTIO_BLK_H

#include "lib/types.h"

struct buf;

#define VIRTIO_BLK_MAX_SEGS 30  /* blocks in one request */

bool virtio_blk_init(void);
uint64 virtio_blk_blocks(void);
void virtio_blk_submit(struct buf **bufs, int n, uint32 first, bool write);
void virtio_blk_wait(struct buf *b);
void virtio_blk_rw(struct buf *b, bool write);
uint64 virtio_blk_max_in_flight(void);

#endif
