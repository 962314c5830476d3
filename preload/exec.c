// SPDX-License-Identifier: MIT
/*
 * exec.c - the exec() family, interposed for one thing: the model's
 * owner hands the model to a keeper first (fork.c fork_owner_exec()), so
 * the processes it serves are served on, as the kernel keeps their files
 * whatever the opener's image becomes. Everything else is libc's: the
 * new image loads the shim again and joins the tree's model at its
 * first served open (rendezvous.c). libc's own calls between these (an
 * execvp()'s execve()) are not seen, so each is wrapped.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>

#include "preload.h"

#define REAL(name)                                                             \
	static __typeof__(&name) real_fn;                                      \
	if (!real_fn)                                                          \
	real_fn = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

/* The owner hands off (fork.c); a client pins the served fds the new
 * image keeps (inherit.c) */
static void before_exec(void)
{
	if (!shim_serving())
		return;
	fork_owner_exec();
	shim_enter();
	inherit_before_exec();
	shim_leave();
}

/* The exec failed: the pins go; @ret returned, errno kept */
static int exec_failed(int ret)
{
	int err = errno;

	if (shim_serving()) {
		shim_enter();
		inherit_exec_failed();
		shim_leave();
	}
	errno = err;
	return ret;
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	REAL(execve);
	before_exec();
	return exec_failed(real_fn(path, argv, envp));
}

int execv(const char *path, char *const argv[])
{
	REAL(execv);
	before_exec();
	return exec_failed(real_fn(path, argv));
}

int execvp(const char *file, char *const argv[])
{
	REAL(execvp);
	before_exec();
	return exec_failed(real_fn(file, argv));
}

int execvpe(const char *file, char *const argv[], char *const envp[])
{
	REAL(execvpe);
	before_exec();
	return exec_failed(real_fn(file, argv, envp));
}

int fexecve(int fd, char *const argv[], char *const envp[])
{
	REAL(fexecve);
	before_exec();
	return exec_failed(real_fn(fd, argv, envp));
}

int execveat(int dirfd, const char *path, char *const argv[],
	     char *const envp[], int flags)
{
	REAL(execveat);
	before_exec();
	return exec_failed(real_fn(dirfd, path, argv, envp, flags));
}

/* execl()'s arguments after the first, up to the NULL: how many */
static size_t count_args(va_list ap)
{
	size_t n = 0;

	while (va_arg(ap, char *))
		n++;
	return n;
}

/* @argv (room for @n + 2): @arg0, the @n after it, NULL; *envp (execle())
 * the pointer after the NULL. On the stack, as libc's execl() has it: a
 * vfork()ed child may call it. */
static void fill_args(char **argv, const char *arg0, size_t n, va_list ap,
		      char *const **envp)
{
	argv[0] = (char *)arg0;
	for (size_t i = 1; i <= n + 1; i++)
		argv[i] = va_arg(ap, char *);
	if (envp)
		*envp = va_arg(ap, char *const *);
}

/* How execl(), execlp() and execle() run what they collected */
enum exec_how { BY_PATH, BY_SEARCH, WITH_ENV };

static int exec_args(enum exec_how how, const char *path, const char *arg0,
		     va_list ap)
{
	char *const *envp = NULL;
	va_list c;
	size_t n;

	va_copy(c, ap);
	n = count_args(c);
	va_end(c);
	char *argv[n + 2];

	fill_args(argv, arg0, n, ap, how == WITH_ENV ? &envp : NULL);
	if (how == BY_SEARCH)
		return execvp(path, argv);
	return how == WITH_ENV ? execve(path, argv, envp) : execv(path, argv);
}

int execl(const char *path, const char *arg, ...)
{
	va_list ap;
	int r;

	va_start(ap, arg);
	r = exec_args(BY_PATH, path, arg, ap);
	va_end(ap);
	return r;
}

int execlp(const char *file, const char *arg, ...)
{
	va_list ap;
	int r;

	va_start(ap, arg);
	r = exec_args(BY_SEARCH, file, arg, ap);
	va_end(ap);
	return r;
}

int execle(const char *path, const char *arg, ...)
{
	va_list ap;
	int r;

	va_start(ap, arg);
	r = exec_args(WITH_ENV, path, arg, ap);
	va_end(ap);
	return r;
}
