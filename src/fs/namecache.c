/*
 * The name cache: directory entries that lookups found, so that looking
 * the same name up again in the same directory (exec of a program, open
 * of a well-known path) is a probe of this table instead of a read of the
 * directory through the buffer cache.  Only names that exist are kept.
 *
 * Coherence.  An entry says: directory (dev, dir) holds name, naming
 * inode inum at byte offset off.  That stays true until the directory's
 * contents change, and those change only through writei() and itrunc() of
 * the directory (adding, clearing an entry; freeing a removed directory),
 * or go back to the disk's when a transaction is discarded (fs/log.c).
 * Each of these forgets the whole cache (namecache_forget): directories
 * change rarely next to lookups, and forgetting is one increment.
 *
 * An entry is valid only if it was made in the current generation.  A
 * lookup reads the generation before it reads the directory, and adds
 * what it found only if no forget came in between, so an entry read
 * before a change can never be added after it.
 *
 * Locking: cache_lock guards the table and the generation.
 */
#include "fs/fs.h"
#include "sync/spinlock.h"
#include "lib/string.h"

#define NAMECACHE_SLOTS 128     /* a power of two; one entry per slot */

struct name_entry {
	uint64 gen;             /* valid while equal to generation */
	uint32 dev, dir;
	uint32 inum, off;
	char name[DIRSIZ];
};

static struct spinlock cache_lock;
static uint64 generation = 1;   /* slots start at 0: none valid */
static struct name_entry slots[NAMECACHE_SLOTS];

void
namecache_init(void)
{
	spin_init(&cache_lock, "name cache");
}

static struct name_entry *
slot_of(uint32 dev, uint32 dir, const char *name)
{
	uint64 h = dev * 31 + dir;

	for (int i = 0; i < DIRSIZ && name[i]; i++)
		h = h * 131 + (uint8)name[i];
	return &slots[(h ^ (h >> 17)) & (NAMECACHE_SLOTS - 1)];
}

/* The generation to pass to namecache_add() for a directory read from now on. */
uint64
namecache_generation(void)
{
	return __atomic_load_n(&generation, __ATOMIC_ACQUIRE);
}

/* Is name in directory dp cached?  Then its inode number and entry offset. */
bool
namecache_find(struct inode *dp, const char *name, uint32 *inum, uint32 *off)
{
	bool hit = false;

	spin_lock(&cache_lock);
	struct name_entry *e = slot_of(dp->dev, dp->inum, name);
	if (e->gen == generation && e->dir == dp->inum && e->dev == dp->dev &&
	    namecmp(name, e->name) == 0) {
		*inum = e->inum;
		*off = e->off;
		hit = true;
	}
	spin_unlock(&cache_lock);
	return hit;
}

/* Directory dp, read in generation gen, holds name -> inum at off. */
void
namecache_add(struct inode *dp, const char *name, uint32 inum, uint32 off, uint64 gen)
{
	spin_lock(&cache_lock);
	if (gen == generation) {
		struct name_entry *e = slot_of(dp->dev, dp->inum, name);
		e->gen = gen;
		e->dev = dp->dev;
		e->dir = dp->inum;
		e->inum = inum;
		e->off = off;
		strncpy(e->name, name, DIRSIZ);
	}
	spin_unlock(&cache_lock);
}

/* Some directory changed: every entry goes. */
void
namecache_forget(void)
{
	spin_lock(&cache_lock);
	__atomic_store_n(&generation, generation + 1, __ATOMIC_RELEASE);
	spin_unlock(&cache_lock);
}
