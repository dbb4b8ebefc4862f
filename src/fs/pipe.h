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
void pipe_poll(struct pipe *pi, bool *in, bool *out, bool *hangup);

#endif
