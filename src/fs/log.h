/*
 * The write-ahead log: every file-system operation is a transaction,
 *
 *     begin_op();  ... bread, change, log_write(b), brelse ...  end_op();
 *
 * and either all of its block writes reach the disk or none do, across a
 * crash.  Concurrent operations share one transaction (group commit);
 * end_op() returns once the caller's transaction is on disk.
 */
#ifndef FS_LOG_H
#define FS_LOG_H

#include "lib/types.h"

struct buf;
struct superblock;

/* Most distinct blocks one operation may write. */
#define MAXOPBLOCKS 68

int log_init(uint32 dev, const struct superblock *sb);
void begin_op(void);
void end_op(void);
void log_write(struct buf *b);
void log_sync(void);
void log_stats(uint64 *commits, uint64 *ops);

#endif
