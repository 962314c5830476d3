// SPDX-License-Identifier: MIT
/*
 * ifd_process.c - the scenario process's own verbs beside the iommufd
 * side (ifd.c): its memory (user_buffer: an mmap() faulted in, its pages
 * laid out where layout= says or a memfd's; memfd_create with ftruncate()) and its
 * credentials (capset, setrlimit RLIMIT_MEMLOCK). No kernel behaviour
 * here: each calls the model's process (model/iommufd/process.c).
 */
#include <string.h>

#include "runner.h"
#include "model/iommufd/iommufd.h"
#include "ifd_private.h"

/* The PA of page @i of a buffer laid out as @layout from @base. */
static u64 layout_pa(const char *layout, u64 base, u64 i, u64 n)
{
	if (!strcmp(layout, "scattered")) /* reversed, every other page */
		return base + (n - 1 - i) * 2 * PROCESS_PAGE_SIZE;
	if (!strcmp(layout, "huge")) /* 2 MiB runs, a 2 MiB gap between */
		return base + (i / 512) * 2 * SZ_2M + (i % 512) * 4096;
	return base + i * PROCESS_PAGE_SIZE;
}

struct layout {
	const char *name;
	u64 base, n;
};

static u64 layout_pa_of(u64 i, const void *priv)
{
	const struct layout *l = priv;

	return layout_pa(l->name, l->base, i, l->n);
}

/* The pages of a @size-byte buffer as layout= lays them out; the next
 * buffer's PAs start past them */
static struct layout layout_pages(struct runner *r, const struct statement *st,
				  u64 size)
{
	struct sim_ifd *s = ifd_state(r);
	struct layout l = {
		.name = arg_str(st, "layout", "contiguous"),
		.base = arg_num(st, "pa", s->next_pa),
		.n = (size + PROCESS_PAGE_SIZE - 1) / PROCESS_PAGE_SIZE,
	};
	u64 first = layout_pa(l.name, l.base, 0, l.n);

	if (l.n) /* size 0: no pages (mmap()'s EINVAL, process_mmap()) */
		s->next_pa =
			MAX(s->next_pa,
			    ROUND_UP(first + 4 * l.n * 4096, SZ_2M) + SZ_2M);
	return l;
}

/* mmap() of @size bytes, faulted in, its pages where layout= puts them;
 * with fd= a shared mapping of that memfd, its pages the file's */
int op_user_buffer(struct runner *r, const struct statement *st)
{
	struct sim_ifd *s = ifd_state(r);
	u64 size = arg_num(st, "size", 0);
	u64 va = arg_num(st, "va", s->next_va);
	bool writable = arg_num(st, "writable", 1);
	struct layout l;
	int ret;

	if (stmt_arg(st, "fd")) /* MAP_SHARED of a memfd: the file's pages */
		ret = process_mmap_file(s->task, va, size,
					(int)handle_num(r, st, "fd"), writable);
	else {
		l = layout_pages(r, st, size);
		ret = process_mmap_fn(s->task, va, size, layout_pa_of, &l,
				      writable);
	}
	if (ret)
		return ret;
	s->next_va = MAX(s->next_va, ROUND_UP(va + size, SZ_2M) + SZ_2M);
	op_out(r, "out_va", NULL, va);
	return 0;
}

/* memfd_create() + ftruncate(): a file whose pages lie as layout= says */
int op_memfd_create(struct runner *r, const struct statement *st)
{
	u64 size = arg_num(st, "size", 0);
	struct layout l = layout_pages(r, st, size);
	int fd = process_memfd_create_fn(ifd_task(r), size, layout_pa_of, &l);

	if (fd < 0)
		return fd;
	op_out(r, "out_fd", NULL, fd);
	return 0;
}

/* capset(): drop= and raise= effective capabilities (the CAP_BIT order
 * of the row's choices) */
static const int cap_numbers[] = { CAP_IPC_LOCK, CAP_SYS_RAWIO,
				   CAP_SYS_RESOURCE, CAP_SYS_ADMIN };

int op_capset(struct runner *r, const struct statement *st)
{
	struct process *p = ifd_task(r);
	uint64_t drop = arg_flags(st, "drop"), raise = arg_flags(st, "raise");

	for (unsigned int i = 0; i < G_N_ELEMENTS(cap_numbers); i++) {
		if (drop & (1ull << i))
			p->caps &= ~CAP_BIT(cap_numbers[i]);
		if (raise & (1ull << i))
			p->caps |= CAP_BIT(cap_numbers[i]);
	}
	return 0;
}

/* setrlimit(RLIMIT_MEMLOCK) */
int op_setrlimit(struct runner *r, const struct statement *st)
{
	return process_setrlimit_memlock(
		ifd_task(r), arg_num(st, "RLIMIT_MEMLOCK", RLIM_INFINITY));
}
