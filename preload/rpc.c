// SPDX-License-Identifier: MIT
/*
 * rpc.c - the wire between a served process (fork_client.c) and its
 * model's server (fork.c): whole messages over a stream socket, an fd
 * passed with a request (SCM_RIGHTS, RPC_FORK's socket), and the wait
 * for the other side, which polls a while before it sleeps.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <glib.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include "preload.h"
#include "fork_rpc.h"

int rpc_recv_all(int sock, void *buf, size_t n)
{
	while (n) {
		ssize_t r = recv(sock, buf, n, MSG_WAITALL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		buf = (char *)buf + r;
		n -= (size_t)r;
	}
	return 0;
}

int rpc_send(int sock, const void *hdr, size_t hlen, const void *data,
	     size_t dlen, int pass_fd)
{
	struct iovec iov[2] = { { (void *)hdr, hlen }, { (void *)data, dlen } };
	char ctl[CMSG_SPACE(sizeof(int))] = { 0 };
	struct msghdr msg = { .msg_iov = iov, .msg_iovlen = dlen ? 2 : 1 };
	size_t left = hlen + dlen;

	if (pass_fd >= 0) {
		struct cmsghdr *cm;

		msg.msg_control = ctl;
		msg.msg_controllen = sizeof(ctl);
		cm = CMSG_FIRSTHDR(&msg);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &pass_fd, sizeof(int));
	}
	while (left) {
		ssize_t r = sendmsg(sock, &msg, MSG_NOSIGNAL);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		left -= (size_t)r;
		/* the rest of a short send: no fd again */
		msg.msg_control = NULL;
		msg.msg_controllen = 0;
		while (r && msg.msg_iovlen) {
			size_t k = MIN((size_t)r, msg.msg_iov->iov_len);

			msg.msg_iov->iov_base =
				(char *)msg.msg_iov->iov_base + k;
			msg.msg_iov->iov_len -= k;
			r -= (ssize_t)k;
			if (!msg.msg_iov->iov_len) {
				msg.msg_iov++;
				msg.msg_iovlen--;
			}
		}
	}
	return 0;
}

int rpc_recv_req(int sock, struct rpc_req *rq, int *fd)
{
	char ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { rq, sizeof(*rq) };
	struct msghdr msg = { .msg_iov = &iov,
			      .msg_iovlen = 1,
			      .msg_control = ctl,
			      .msg_controllen = sizeof(ctl) };
	struct cmsghdr *cm;
	ssize_t r;

	*fd = -1;
	do
		r = recvmsg(sock, &msg, MSG_WAITALL | MSG_CMSG_CLOEXEC);
	while (r < 0 && errno == EINTR);
	if (r <= 0)
		return -1;
	cm = CMSG_FIRSTHDR(&msg);
	if (cm && cm->cmsg_type == SCM_RIGHTS)
		memcpy(fd, CMSG_DATA(cm), sizeof(int));
	if ((size_t)r < sizeof(*rq))
		return rpc_recv_all(sock, (char *)rq + r,
				    sizeof(*rq) - (size_t)r);
	return 0;
}

/* How long a waiting side polls before it sleeps: a round trip's two
 * wake-ups cost the scheduler's latency each (milliseconds on a loaded
 * machine); a client issuing calls back to back finds the other side
 * still awake. Bounded, so an idle side sleeps at once after it. */
#define SPIN_NS 50000

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

int fork_spin_poll(struct pollfd *p, nfds_t n)
{
	uint64_t end = now_ns() + SPIN_NS;
	int r;

	do {
		r = poll(p, n, 0);
		if (r > 0)
			return r;
	} while (now_ns() < end);
	do
		r = poll(p, n, -1);
	while (r < 0 && errno == EINTR);
	return r;
}
