/* SPDX-License-Identifier: MIT */
/*
 * fork_rpc.h - what a forked process (fork_client.c) and the owner's
 * server (fork.c) say to each other over the client's socket: one
 * request, one reply, in order; a new client's first word is its pid
 * (RPC_HELLO from a forked one, RPC_JOIN from one that joined).
 */
#ifndef IOMMUSIM_PRELOAD_FORK_RPC_H
#define IOMMUSIM_PRELOAD_FORK_RPC_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum rpc_op {
	RPC_HELLO = 1, /* a new client's pid (no reply) */
	RPC_OPEN,
	RPC_CLOSE,
	RPC_DUP,
	RPC_IOCTL,
	RPC_RW,
	RPC_FORGET,
	RPC_FORK,
	RPC_STATUS,
	RPC_CAPS,     /* the model's capabilities: get (cmd 0) or set to arg */
	RPC_MODEL_RW, /* read/write of a file the model installed: fd,
		       * flags a write, arg positioned, cmd the buffer */
	RPC_PIN,      /* fd: its file pinned for this pid's next image
		       * (inherit.c) */
	RPC_UNPIN,    /* fd: that pin dropped (the exec failed) */
	RPC_ADOPT,    /* fd: the pinned file, this image's fd now */
	RPC_JOIN,     /* a process joining through the rendezvous
		       * (rendezvous.c), its first word: cmd its pid, arg
		       * its capabilities, len its RLIMIT_MEMLOCK (no
		       * payload, no reply) */
};

/* a request; @len bytes follow it */
struct rpc_req {
	uint32_t op;
	int32_t fd;    /* the fd of the call; DUP: the old one */
	int32_t fd2;   /* DUP: the new one; OPEN, IOCTL: the reserved fd */
	int32_t flags; /* OPEN: open()'s; RW: a write; IOCTL: RPC_INT_ARG */
	uint64_t cmd;  /* IOCTL: the request; OPEN: fail-nth; HELLO,
			* STATUS: a pid */
	uint64_t arg;  /* IOCTL: the argument; RW: the offset (~0: the
			* file's); FORGET: the address */
	uint64_t len;  /* OPEN: the path's bytes, IOCTL: the argument's,
			* RW: the data's; FORGET: the length */
};
#define RPC_INT_ARG 1

/* a reply; @len bytes follow it */
struct rpc_rep {
	int64_t ret;	     /* the call's, or -errno */
	uint32_t spare_used; /* SPARE_*: what the reserved fd became */
	uint32_t has_vmas;   /* the model process holds memory */
	uint32_t served;     /* RPC_MODEL_RW: the model has such a file */
	uint32_t pad;
	uint64_t len;
};
enum { SPARE_UNUSED, SPARE_SERVED, SPARE_MODEL_FILE };

/* ---- rpc.c ---- */
/* poll(@p, @n, -1), polling without sleeping for a while first (rpc.c
 * SPIN_NS) */
int fork_spin_poll(struct pollfd *p, nfds_t n);
/* a request's header and the fd passed with it (RPC_FORK's) or -1 in
 * *fd: 0, or -1 (the peer is gone) */
int rpc_recv_req(int sock, struct rpc_req *rq, int *fd);
/* the whole of @n bytes, or -1 (the peer is gone) */
int rpc_recv_all(int sock, void *buf, size_t n);
/* header and payload in one message, @pass_fd (>= 0) with them
 * (SCM_RIGHTS); 0 or -1 */
int rpc_send(int sock, const void *hdr, size_t hlen, const void *data,
	     size_t dlen, int pass_fd);
/* the owner: /proc/@pid/status with the model's VmLck and VmPin, NULL
 * for a process it does not serve (fork_client.c) */
char *shim_status_text(pid_t pid, uint64_t *len);
/* the server, switched to a client: RPC_PIN, RPC_UNPIN, RPC_ADOPT of
 * its @fd (inherit.c): 0 or -errno */
int64_t inherit_serve(uint32_t op, int fd, uint64_t ino);
/* the server: pins of live pids are still to be adopted */
bool inherit_pending(void);
/* the server: the live file whose memfd is inode @ino, or NULL */
struct shim_file *fork_file_of_ino(unsigned long long ino);
/* the owner: the model process of @pid, NULL if it serves no such one */
struct process *fork_task_of(pid_t pid);
/* the client: a call done by the owner (its reply's payload into @in,
 * at most @cap bytes), -EIO when the owner is gone */
int64_t rpc(struct rpc_req *rq, const void *data, void *in, size_t cap,
	    struct rpc_rep *rep, int pass_fd);
/* the client: just forked (the owner's child, or a client's) */
void client_start(bool from_owner);

#endif
