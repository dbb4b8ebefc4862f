/*
 * The write-ahead log: every file-system operation is a transaction,
 *
 *     begin_op();  ... bread, change, log_write(b), brelse ...  end_op();
 *
 * and either all of its block writes reach the disk or none do, across a
 * crash.  Concurrent operations share one transaction (group commit);
 * end_op() returns once the caller's transaction is on disk, or -1 if it
 * was discarded because a failure made the file system read-only (see
 * fs/log.c).
 */
#ifndef FS_LOG_H
#define FS_LOG_H

#include "lib/types.h"

struct buf;
struct superblock;

/* MAXOPBLOCKS (canopy/param.h): most distinct blocks one operation may write. */

int log_init(uint32 dev, const struct superblock *sb);
void begin_op(void);
int end_op(void);
void log_write(struct buf *b);
void fs_fail(const char *why);
bool fs_readonly(void);
void log_sync(void);
void log_stats(uint64 *commits, uint64 *ops);

#endif
