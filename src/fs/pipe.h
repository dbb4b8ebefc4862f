/* Pipes: a bounded byte stream between a write end and a read end. */
#ifndef FS_PIPE_H
#define FS_PIPE_H

#include "lib/types.h"

struct file;
struct pipe;

int pipe_alloc(struct file **read_end, struct file **write_end);
void pipe_close(struct pipe *pi, bool writable);
int pipe_read(struct pipe *pi, uint64 user_addr, int n, bool nonblock);
int pipe_write(struct pipe *pi, uint64 user_addr, int n, bool nonblock);
int pipe_available(struct pipe *pi);
int pipe_state(struct pipe *pi);
#define PIPE_BYTES      1       /* a read finds bytes */
#define PIPE_ROOM       2       /* a write finds room */
#define PIPE_NO_WRITER  4       /* every write end is closed */
#define PIPE_NO_READER  8       /* every read end is closed */

#endif
