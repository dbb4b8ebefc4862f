/*
 * /proc: a read-only file system whose text the kernel writes at each
 * read, in Linux's formats (docs/linux-abi.md#proc).
 *
 * How it is attached (there is no mount table): the name "proc" in the
 * disk's root directory is /proc, whatever the disk holds under that
 * name.  dirlookup() asks procfs_covers() before reading a directory, and
 * hands that name, and every name looked up in a /proc directory, to
 * procfs_lookup(); ".." of /proc is the disk's root.  So absolute and
 * relative paths, ".." and symbolic links (/proc/self) go through /proc
 * as through any directory, and a /proc directory can be the current one.
 *
 * Its inodes are ordinary entries of the inode table with device
 * PROCFS_DEV and number (pid + 1) << KIND_BITS | kind (pid 0: /proc and
 * its own files), so numbers are never 0 or the disk's root's 1.
 * ilock() fills them from the number (procfs_fill), never from a disk;
 * they have one link, so iput() never frees one; readi() comes here.
 * Everything that would change them fails before touching a disk, with
 * the errors Linux gives root (fs/syspath.c, linux/fs.c); writei() and
 * iupdate() refuse them too.
 *
 * A process's directory exists while its slot holds it (running,
 * sleeping, stopped or a zombie).  A file opened before its process went
 * stays open; reading it fails (-1; the Linux layer says ESRCH).  Text
 * is made into a page for each read and cut at a page.
 */
#include "fs/procfs.h"
#include "sched/proc.h"
#include "sched/signal.h"
#include "sched/trap.h"
#include "sched/cpu.h"
#include "dev/console.h"
#include "vm/kalloc.h"
#include "vm/mm.h"
#include "vm/vmobj.h"
#include "vm/uaccess.h"
#include "lib/printf.h"
#include "lib/string.h"
#include "lib/errno.h"

#define KIND_BITS       4
#define MAX_PID         ((1 << (32 - KIND_BITS)) - 2)
#define HANDLER_IGN     1       /* SIG_IGN */

/* The nodes of /proc itself (pid 0), then those of each process's directory. */
enum { ROOT_DIR, ROOT_SELF, ROOT_MEMINFO, ROOT_UPTIME, ROOT_CPUINFO, ROOT_STAT, ROOT_LOADAVG, NROOT };
enum { PID_DIR, PID_STAT, PID_STATUS, PID_CMDLINE, PID_EXE, NPIDNODE };

struct node {
	const char *name;
	short type;
};

static const struct node root_nodes[NROOT] = {
	[ROOT_DIR] = { "", T_DIR },
	[ROOT_SELF] = { "self", T_SYMLINK },
	[ROOT_MEMINFO] = { "meminfo", T_FILE },
	[ROOT_UPTIME] = { "uptime", T_FILE },
	[ROOT_CPUINFO] = { "cpuinfo", T_FILE },
	[ROOT_STAT] = { "stat", T_FILE },
	[ROOT_LOADAVG] = { "loadavg", T_FILE },
};

static const struct node pid_nodes[NPIDNODE] = {
	[PID_DIR] = { "", T_DIR },
	[PID_STAT] = { "stat", T_FILE },
	[PID_STATUS] = { "status", T_FILE },
	[PID_CMDLINE] = { "cmdline", T_FILE },
	[PID_EXE] = { "exe", T_SYMLINK },
};

/* Directory positions: ".", "..", the named nodes (kind = position - 1), then in /proc pid p at FIRST_PID_POS + p. */
#define FIRST_PID_POS   (NROOT + 1)

static uint32
inum_of(int pid, int kind)
{
	return (uint32)(pid + 1) << KIND_BITS | (uint32)kind;
}

static int
pid_of(uint32 inum)
{
	return (int)(inum >> KIND_BITS) - 1;
}

static int
kind_of(uint32 inum)
{
	return (int)(inum & ((1u << KIND_BITS) - 1));
}

/* The node inode number inum names, or NULL. */
static const struct node *
node_of(uint32 inum)
{
	int pid = pid_of(inum), kind = kind_of(inum);

	if (pid == 0)
		return kind < NROOT ? &root_nodes[kind] : NULL;
	return pid > 0 && kind < NPIDNODE ? &pid_nodes[kind] : NULL;
}

static struct inode *
node_inode(int pid, int kind)
{
	return iget(PROCFS_DEV, inum_of(pid, kind));
}

/* Does a process show in /proc in this state?  (A slot being made does not.) */
static bool
shown(enum procstate s)
{
	return s == SLEEPING || s == RUNNABLE || s == RUNNING || s == ZOMBIE;
}

/* The slot of process pid, its lock held; NULL if it shows in no slot. */
static struct proc *
lock_pid(int pid)
{
	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		spin_lock(&p->lock);
		if (p->pid == pid && pid > 0 && shown(p->state))
			return p;
		spin_unlock(&p->lock);
	}
	return NULL;
}

static bool
pid_exists(int pid)
{
	struct proc *p = lock_pid(pid);

	if (p)
		spin_unlock(&p->lock);
	return p != NULL;
}

/* The smallest pid >= from that shows in /proc, or -1. */
static int
first_pid_from(int from)
{
	int best = -1;

	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		spin_lock(&p->lock);
		if (p->pid >= from && p->pid > 0 && shown(p->state) && (best < 0 || p->pid < best))
			best = p->pid;
		spin_unlock(&p->lock);
	}
	return best;
}

/* A pid written the way /proc names it (no sign, no leading zero), or -1. */
static int
parse_pid(const char *name)
{
	long v = 0;

	if (name[0] < '1' || name[0] > '9')
		return -1;
	for (const char *c = name; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (*c - '0');
		if (v > MAX_PID)
			return -1;
	}
	return (int)v;
}

/* Is name, looked up in directory dp, /proc itself? */
bool
procfs_covers(const struct inode *dp, const char *name)
{
	return dp->dev == ROOTDEV && dp->inum == ROOTINO && namecmp(name, "proc") == 0;
}

/*
 * name in dp (locked): dp is a /proc directory, or the disk's root with
 * name "proc".  A referenced, unlocked inode, or NULL.  *offp (if offp)
 * is 0: there is no directory entry to change.
 */
struct inode *
procfs_lookup(struct inode *dp, const char *name, uint32 *offp)
{
	if (offp)
		*offp = 0;
	if (!procfs_inode(dp))
		return node_inode(0, ROOT_DIR);
	int pid = pid_of(dp->inum);
	if (namecmp(name, ".") == 0)
		return idup(dp);
	if (namecmp(name, "..") == 0)
		return pid == 0 ? fs_root() : node_inode(0, ROOT_DIR);
	if (pid == 0) {
		for (int k = 1; k < NROOT; k++)
			if (namecmp(name, root_nodes[k].name) == 0)
				return node_inode(0, k);
		int asked = parse_pid(name);
		return asked > 0 && pid_exists(asked) ? node_inode(asked, PID_DIR) : NULL;
	}
	if (!pid_exists(pid))
		return NULL;
	for (int k = 1; k < NPIDNODE; k++)
		if (namecmp(name, pid_nodes[k].name) == 0)
			return node_inode(pid, k);
	return NULL;
}

/*
 * The target of link inode number inum into buf (MAXPATH bytes), NUL-ended:
 * its length, or -1 (the process has gone or has no program).
 */
static int
link_target(uint32 inum, char *buf)
{
	if (pid_of(inum) == 0)          /* /proc/self */
		return snprintf(buf, MAXPATH, "%d", myproc()->pid);
	struct proc *p = lock_pid(pid_of(inum));
	if (!p)
		return -1;
	bool gone = p->state == ZOMBIE;
	strlcpy(buf, p->exe, MAXPATH);  /* exec writes it unlocked: cut to a string */
	spin_unlock(&p->lock);
	buf[MAXPATH - 1] = 0;
	return gone || buf[0] == 0 ? -1 : (int)strlen(buf);
}

/* ilock(): make ip (locked) what its number says; a link's size is its target's, for the caller. */
void
procfs_fill(struct inode *ip)
{
	const struct node *n = node_of(ip->inum);
	char target[MAXPATH];

	ip->valid = true;
	ip->bad = n == NULL;
	ip->type = n ? n->type : 0;
	ip->major = ip->minor = 0;
	ip->nlink = 1;
	ip->size = 0;
	if (n && n->type == T_SYMLINK) {
		int len = link_target(ip->inum, target);
		ip->size = len > 0 ? (uint32)len : 0;
	}
}

/* Text being made, cut at size bytes. */
struct text {
	char *buf;
	int len, size;
};

static void __attribute__((format(printf, 2, 3)))
put(struct text *t, const char *fmt, ...)
{
	va_list ap;

	if (t->len >= t->size - 1)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, (size_t)(t->size - t->len), fmt, ap);
	va_end(ap);
	t->len = t->len + n < t->size - 1 ? t->len + n : t->size - 1;
}

/* Kibibytes in pages. */
static uint64
kb(uint64 pages)
{
	return pages * (PGSIZE / 1024);
}

static void
gen_meminfo(struct text *t)
{
	uint64 total = kalloc_total_pages(), free = kalloc_free_pages();
	uint64 cached = vmobj_cached_pages(), avail = free + vmobj_reclaimable();

	put(t, "%-15s %8lu kB\n", "MemTotal:", kb(total));
	put(t, "%-15s %8lu kB\n", "MemFree:", kb(free));
	put(t, "%-15s %8lu kB\n", "MemAvailable:", kb(avail < total ? avail : total));
	put(t, "%-15s %8lu kB\n", "Buffers:", 0UL);
	put(t, "%-15s %8lu kB\n", "Cached:", kb(cached));
	put(t, "%-15s %8lu kB\n", "SwapCached:", 0UL);
	put(t, "%-15s %8lu kB\n", "SwapTotal:", 0UL);
	put(t, "%-15s %8lu kB\n", "SwapFree:", 0UL);
	put(t, "%-15s %8lu kB\n", "Shmem:", 0UL);
}

static void
gen_uptime(struct text *t)
{
	uint64 cs = timer_ticks() * 100 / tick_hz;      /* hundredths of a second */

	put(t, "%lu.%02lu 0.00\n", cs / 100, cs % 100);
}

static void
gen_cpuinfo(struct text *t)
{
	for (int i = 0; i < ncpu; i++)
		put(t, "processor\t: %d\nhart\t\t: %d\nmmu\t\t: sv39\n\n", i, cpus[i].hartid);
}

/* Processes that are running or ready to, into *running; all that show in /proc is the result. */
static int
count_procs(int *running)
{
	int all = 0;

	*running = 0;
	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		enum procstate s = __atomic_load_n(&p->state, __ATOMIC_RELAXED);
		all += shown(s);
		*running += s == RUNNING || s == RUNNABLE;
	}
	return all;
}

static void
gen_stat(struct text *t)
{
	int running;

	count_procs(&running);
	put(t, "cpu  0 0 0 0 0 0 0 0 0 0\n");
	for (int i = 0; i < ncpu; i++)
		put(t, "cpu%d 0 0 0 0 0 0 0 0 0 0\n", i);
	put(t, "btime 0\nprocesses %d\nprocs_running %d\nprocs_blocked 0\n",
	    proc_last_pid(), running);
}

static void
gen_loadavg(struct text *t)
{
	int running, all = count_procs(&running);

	put(t, "0.00 0.00 0.00 %d/%d %d\n", running, all, proc_last_pid());
}

/* What /proc shows of one process, copied out of its slot. */
struct pinfo {
	int pid, ppid, pgid, sid, umask;
	char state;             /* R, S, T or Z */
	char name[PROC_NAME_LEN];
	uint64 start, pending, blocked, ignored, caught, rss, vsize;
	char *cmdline;          /* a reference to the page, or NULL */
	uint32 cmdline_len;
};

/* The bytes p's regions span: p's own thread, or p's vm_lock held. */
static uint64
mm_span(struct mm *mm)
{
	uint64 sum = 0;
	int n = __atomic_load_n(&mm->nregions, __ATOMIC_RELAXED);

	for (int i = 0; i < n && i < MM_MAX_REGIONS; i++) {
		uint64 start = mm->regions[i].start, end = mm->regions[i].end;
		sum += end > start ? end - start : 0;
	}
	return sum;
}

/* Process pid's address-space size: its mm is held still by its vm_lock (as vmprint does). */
static uint64
vsize_of(struct proc *p, int pid)
{
	if (p == myproc())
		return mm_span(p->mm);
	sleep_lock(&p->vm_lock);
	spin_lock(&p->lock);
	struct mm *mm = p->pid == pid && p->state != ZOMBIE ? p->mm : NULL;
	spin_unlock(&p->lock);
	uint64 v = mm ? mm_span(mm) : 0;
	sleep_unlock(&p->vm_lock);
	return v;
}

static char
state_letter(struct proc *p)
{
	if (p->state == ZOMBIE)
		return 'Z';
	if (p->stopped)
		return 'T';
	return p->state == SLEEPING ? 'S' : 'R';
}

/* Copy what p (locked) has to show into *pi. */
static void
pinfo_fill(struct proc *p, struct pinfo *pi)
{
	pi->pid = p->pid;
	pi->ppid = p->parent ? p->parent->pid : 0;
	pi->pgid = p->pgid;
	pi->sid = p->sid;
	pi->umask = p->umask;
	pi->state = state_letter(p);
	memcpy(pi->name, p->name, sizeof(pi->name));
	pi->name[sizeof(pi->name) - 1] = 0;
	pi->start = p->start_ticks * 100 / tick_hz;      /* Linux's USER_HZ */
	pi->pending = p->sig_pending;
	pi->blocked = p->sig_blocked;
	for (int s = 1; p->sig && s <= NSIG_LINUX; s++) {
		uint64 h = p->sig->act[s].handler;
		pi->ignored |= (uint64)(h == HANDLER_IGN) << (s - 1);
		pi->caught |= (uint64)(h > HANDLER_IGN) << (s - 1);
	}
	if (p->state != ZOMBIE) {
		pi->rss = proc_rss(p);
		if ((pi->cmdline = p->cmdline))
			page_get(pi->cmdline);
		pi->cmdline_len = p->cmdline_len;
	}
}

/* What process pid shows, into *pi (pinfo_put() after); false if it has gone. */
static bool
pinfo_get(int pid, struct pinfo *pi)
{
	memset(pi, 0, sizeof(*pi));
	spin_lock(&wait_lock);          /* guards p->parent: before any p->lock */
	struct proc *p = lock_pid(pid);
	if (p) {
		pinfo_fill(p, pi);
		spin_unlock(&p->lock);
	}
	spin_unlock(&wait_lock);
	if (p && pi->state != 'Z')
		pi->vsize = vsize_of(p, pid);
	return p != NULL;
}

static void
pinfo_put(struct pinfo *pi)
{
	if (pi->cmdline)
		page_put(pi->cmdline);
}

/* Linux's fields 1..52, in proc(5)'s order; what Canopy does not keep is 0 (docs/linux-abi.md). */
static void
gen_pid_stat(struct text *t, const struct pinfo *pi)
{
	put(t, "%d (%s) %c %d %d %d %d %d 0 0 0 0 0 ", pi->pid, pi->name, pi->state, pi->ppid,
	    pi->pgid, pi->sid, CONSOLE << 8, console_foreground());
	put(t, "0 0 0 0 20 0 1 0 %lu %lu %lu %lu ", pi->start, pi->vsize, pi->rss, ~0UL);
	put(t, "0 0 0 0 0 %lu %lu %lu %lu 0 0 0 17 0 0 0 0 0 0 ", pi->pending, pi->blocked,
	    pi->ignored, pi->caught);
	put(t, "0 0 0 0 0 0 0 0\n");
}

static const char *
state_name(char s)
{
	switch (s) {
	case 'R': return "running";
	case 'T': return "stopped";
	case 'Z': return "zombie";
	default: return "sleeping";
	}
}

static void
gen_pid_status(struct text *t, const struct pinfo *pi)
{
	put(t, "Name:\t%s\nUmask:\t0%d%d%d\n", pi->name, pi->umask >> 6 & 7, pi->umask >> 3 & 7,
	    pi->umask & 7);
	put(t, "State:\t%c (%s)\n", pi->state, state_name(pi->state));
	put(t, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", pi->pid, pi->pid, pi->ppid);
	put(t, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%d\nGroups:\t\n", NOFILE);
	put(t, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", pi->pid, pi->pid, pi->pgid,
	    pi->sid);
	if (pi->state != 'Z')
		put(t, "VmSize:\t%8lu kB\nVmRSS:\t%8lu kB\n", pi->vsize / 1024, kb(pi->rss));
	put(t, "Threads:\t1\n");
	put(t, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\nSigIgn:\t%016lx\nSigCgt:\t%016lx\n",
	    0UL, pi->pending, pi->blocked, pi->ignored, pi->caught);
}

static void
gen_pid_cmdline(struct text *t, const struct pinfo *pi)
{
	int n = pi->cmdline_len < (uint32)t->size ? (int)pi->cmdline_len : t->size;

	if (pi->cmdline)
		memcpy(t->buf, pi->cmdline, (uint64)n);
	t->len = n;
}

/* A process's file into t; false if the process has gone. */
static bool
gen_pid_file(struct text *t, int pid, int kind)
{
	struct pinfo pi;

	if (!pinfo_get(pid, &pi))
		return false;
	if (kind == PID_STAT)
		gen_pid_stat(t, &pi);
	else if (kind == PID_STATUS)
		gen_pid_status(t, &pi);
	else
		gen_pid_cmdline(t, &pi);
	pinfo_put(&pi);
	return true;
}

/* The text of file or link inode number inum into t; false if it names a process that has gone. */
static bool
generate(uint32 inum, struct text *t)
{
	int pid = pid_of(inum), kind = kind_of(inum);

	if (node_of(inum)->type == T_SYMLINK) {
		char target[MAXPATH];
		int len = link_target(inum, target);
		if (len > 0)
			put(t, "%s", target);
		return len > 0;
	}
	if (pid > 0)
		return gen_pid_file(t, pid, kind);
	switch (kind) {
	case ROOT_MEMINFO: gen_meminfo(t); break;
	case ROOT_UPTIME: gen_uptime(t); break;
	case ROOT_CPUINFO: gen_cpuinfo(t); break;
	case ROOT_STAT: gen_stat(t); break;
	case ROOT_LOADAVG: gen_loadavg(t); break;
	}
	return true;
}

/*
 * The entry of directory dp at position *pos or the first after it, into
 * *de; *pos moves past it.  False at the end.
 */
bool
procfs_readdir(struct inode *dp, uint32 *pos, struct procfs_dirent *de)
{
	int pid = pid_of(dp->inum), nnodes = pid == 0 ? NROOT : NPIDNODE;
	const struct node *nodes = pid == 0 ? root_nodes : pid_nodes;
	uint32 at = *pos;

	if (kind_of(dp->inum) != ROOT_DIR)      /* == PID_DIR: not a directory otherwise */
		return false;
	memset(de, 0, sizeof(*de));
	if (at == 0 || at == 1) {
		strlcpy(de->name, at == 0 ? "." : "..", sizeof(de->name));
		de->ino = at == 0 ? dp->inum : pid == 0 ? ROOTINO : inum_of(0, ROOT_DIR);
		de->type = T_DIR;
	} else if (at < (uint32)nnodes + 1) {
		strlcpy(de->name, nodes[at - 1].name, sizeof(de->name));
		de->ino = inum_of(pid, (int)at - 1);
		de->type = nodes[at - 1].type;
	} else {
		int next = pid == 0 && at - FIRST_PID_POS <= MAX_PID ? first_pid_from((int)(at - FIRST_PID_POS)) : -1;
		if (next < 0)
			return false;
		at = FIRST_PID_POS + (uint32)next;
		snprintf(de->name, sizeof(de->name), "%d", next);
		de->ino = inum_of(next, PID_DIR);
		de->type = T_DIR;
	}
	de->pos = at;
	*pos = at + 1;
	return true;
}

/*
 * A /proc directory as Canopy's programs read one: struct dirent after
 * struct dirent, one per entry listed now (the 16-bit inum cut from the
 * real one; stat gives that).
 */
static int
read_dir(struct inode *dp, bool user, uint64 dst, uint32 off, uint32 n)
{
	struct procfs_dirent e;
	uint32 pos = 0, index = 0, done = 0;

	while (done < n && procfs_readdir(dp, &pos, &e)) {
		uint32 at = index++ * sizeof(struct dirent);
		if (at + sizeof(struct dirent) <= off)
			continue;
		struct dirent de;
		memset(&de, 0, sizeof(de));
		de.inum = (uint16)e.ino ? (uint16)e.ino : 0xffff;
		strncpy(de.name, e.name, DIRSIZ);
		uint32 from = off > at ? off - at : 0;
		uint32 m = sizeof(de) - from < n - done ? sizeof(de) - from : n - done;
		if (copy_to(user, dst + done, (char *)&de + from, m) < 0)
			return done ? (int)done : -1;
		done += m;
	}
	return (int)done;
}

/* readi() of ip (locked): its text at off, at most n bytes; 0 past the end, -1 if its process has gone. */
int
procfs_read(struct inode *ip, bool user, uint64 dst, uint32 off, uint32 n)
{
	const struct node *nd = node_of(ip->inum);

	if (!nd)
		return -1;
	if (nd->type == T_DIR)
		return read_dir(ip, user, dst, off, n);
	struct text t = { kalloc(), 0, PGSIZE };
	if (!t.buf)
		return -1;
	int r = -1;
	if (generate(ip->inum, &t)) {
		uint32 m = off >= (uint32)t.len ? 0 : (uint32)t.len - off < n ? (uint32)t.len - off : n;
		r = m && copy_to(user, dst, t.buf + off, m) < 0 ? -1 : (int)m;
	}
	page_put(t.buf);
	return r;
}

/* The name of ip in directory dp (getcwd's climb), into name: 0, or -ENOENT. */
int
procfs_name_of(const struct inode *dp, const struct inode *ip, char name[DIRSIZ + 1])
{
	if (!procfs_inode(dp) && procfs_inode(ip) && ip->inum == inum_of(0, ROOT_DIR) &&
	    dp->dev == ROOTDEV && dp->inum == ROOTINO) {
		strlcpy(name, "proc", DIRSIZ + 1);
		return 0;
	}
	if (procfs_inode(dp) && procfs_inode(ip) && dp->inum == inum_of(0, ROOT_DIR) &&
	    pid_of(ip->inum) > 0 && kind_of(ip->inum) == PID_DIR) {
		snprintf(name, DIRSIZ + 1, "%d", pid_of(ip->inum));
		return 0;
	}
	return -ENOENT;
}

/*
 * Why a write to ip fails, as on Linux: -EIO for /proc's own files (no
 * write operation), -EINVAL for a process's (not writable at all).
 */
int
procfs_write_error(const struct inode *ip)
{
	return pid_of(ip->inum) > 0 ? -EINVAL : -EIO;
}
