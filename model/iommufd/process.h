/* SPDX-License-Identifier: MIT */
/*
 * process.h - the user process that calls iommufd, as far as the kernel
 * reads it: `current` (its capabilities and RLIMIT_MEMLOCK), its mm (the
 * address space whose pages IOMMU_IOAS_MAP pins, mm->pinned_vm,
 * mm->locked_vm) and its user_struct (user->locked_vm), plus its file
 * table: one per process, as fs/file.c's (alloc_fd() gives the lowest free
 * number, fget() finds whatever file is at a number and each caller checks
 * its kind): memfds for IOMMU_IOAS_MAP_FILE, eventfds, the anon-inode
 * files of iommufd's event queues, dma-bufs, and stand-ins for the files
 * of /dev/iommu and VFIO's nodes (f_op marks them: iommufd.h
 * iommufd_fd_install(), vfio_main.c vfio_file_new()).
 *
 * Memory is modelled, not real: a VMA is a range of user VAs whose every
 * 4 KiB page has a physical address in the model's physmem, laid out as the
 * scenario chooses (one contiguous run, scattered pages, huge pages), so
 * the PAs iommufd puts in an IO page table mean something and DMA through
 * them lands in physmem.
 *
 * Pointers to arrays inside uapi structs (allowed_iovas, data_uptr) are
 * read with process_copy_from_user()/process_copy_to_user(): host pointers
 * (what a preload shim in the real process and a scenario verb both have).
 */
#ifndef IOMMUSIM_MODEL_IOMMUFD_PROCESS_H
#define IOMMUSIM_MODEL_IOMMUFD_PROCESS_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "pt/pt_types.h"

struct physmem;
struct iommu_model;

/* include/uapi/linux/capability.h */
enum {
	CAP_IPC_LOCK = 14,
	CAP_SYS_RAWIO = 17,
	CAP_SYS_ADMIN = 21,
	CAP_SYS_RESOURCE = 24,
};
#define CAP_BIT(cap) (1ull << (cap))

#define PROCESS_PAGE_SIZE 4096ull
#define RLIM_INFINITY (~0ull)
/* include/uapi/linux/resource.h: RLIMIT_MEMLOCK's soft and hard limit
 * for init (include/asm-generic/resource.h INIT_RLIMITS), inherited by
 * what it starts (the guest's agent: setrlimit above it without
 * CAP_SYS_RESOURCE is EPERM there) */
#define MLOCK_LIMIT (8ull << 20)

/* One mapping of the process: [start, start + length), page aligned. */
struct vma {
	u64 start;
	u64 length;
	u64 *page_pa; /* length / 4 KiB entries: the PA behind each page */
	bool writable;
	/* VM_IO | VM_PFNMAP: pfns with no struct page behind them (a VFIO
	 * BAR's mmap, vfio_pci_core_mmap()): get_user_pages() refuses them
	 * (check_vma_flags(): -EFAULT), follow_pfnmap_start() reads them */
	bool pfnmap;
};

/*
 * An open file of the process, as far as iommufd reads one: a memfd (a
 * shmem file whose pages have PAs, shared by every mapping), or an
 * anon-inode file whose owner is told when the last reference goes (the
 * fops' release, e.g. an iommufd event queue's).
 */
struct process;

struct file {
	unsigned int refs; /* the fd table's and each iopt_pages' */
	bool shmem;	   /* shmem_file(): a memfd, @pages below */
	/* its owner's state shows and hashes it (VFIO's files, by their
	 * numbers): left out of the process's */
	bool owner_shows;
	/* the last read() returned bytes the model does not keep (a VFIO
	 * BAR's registers): not copied to the caller, who shows none */
	bool read_unmodelled;
	u64 size; /* i_size */
	/* a memfd's pages (struct shmem_page), sorted by index: those
	 * memfd_create() laid out for its size, and each a write, an mmap
	 * or a pin added later; an index not there is a hole (shmem.c) */
	GArray *pages;
	u64 pos;	  /* f_pos: where a memfd's or a VFIO device file's next
		  * read() or write() goes */
	const char *name; /* anon_inode_getfile()'s, or NULL */
	void (*release)(void *private); /* fops->release, or NULL */
	/* fops->read and ->write of an anon-inode file (an event queue's):
	 * bytes, or -errno; NULL: the file has none (-EINVAL) */
	ssize_t (*read)(void *private, struct process *task, u64 ubuf,
			u64 count);
	ssize_t (*write)(void *private, struct process *task, u64 ubuf,
			 u64 count);
	void *private_data;
	/* whose file it is, as the kernel's f_op tells (eventfd_ctx_fileget(),
	 * iommufd_ctx_from_file(), vfio_file_is_group() compare it): a mark
	 * of the owner's (iommufd's or VFIO's stand-in for its own file,
	 * private_data its ctx or file); NULL for any other */
	const void *f_op;
	/* what its page list is charged to (the creating process's
	 * budget), and how much; NULL: nothing */
	struct physmem *budget;
	u64 budget_bytes;
};

/* The user a process runs as (include/linux/sched/user.h): its creds
 * point at it, and fork() shares it (copy_creds(), get_uid()), so what
 * iommufd charges to user->locked_vm is one count for parent and child. */
struct user_struct {
	unsigned int refs; /* get_uid() per process */
	u64 locked_vm;	   /* pages (IOPT_PAGES_ACCOUNT_USER) */
};

struct process {
	unsigned int refs; /* the owner's, plus one per iopt_pages (mmgrab) */
	u64 caps;	   /* effective capability set, CAP_BIT() */
	/* bytes, RLIM_INFINITY for none: soft and hard alike (the
	 * scenario's setrlimit sets both) */
	u64 rlimit_memlock;
	u64 pinned_vm;	  /* mm->pinned_vm, pages */
	u64 mm_locked_vm; /* mm->locked_vm, pages (IOPT_PAGES_ACCOUNT_MM) */
	struct user_struct *user; /* shared with a forked child */
	bool exited;	  /* exit_mm(): nothing more can be pinned from it */
	GPtrArray *vmas;  /* struct vma *, sorted by start */
	GPtrArray *files; /* fd -> struct file * or NULL */
	/* handle_mm_fault() for a VA no VMA covers: a pager that may add
	 * the VMA (process_mmap()) and return 0, or -EFAULT. NULL (a
	 * scenario's process): only what the scenario mapped exists. A
	 * preload shim pages in the real process's memory here. */
	int (*fault)(struct process *p, u64 va, void *data);
	/* A process whose fd numbers are another's (a preload shim's real
	 * process): get_unused_fd_flags() takes the number fd_alloc gives
	 * (a real fd it reserved, or -errno), and fget() of a number the
	 * table lacks asks fd_lookup for a file to install there (a real
	 * memfd as a shmem file; NULL: EBADF). NULL: the model's numbers. */
	int (*fd_alloc)(struct process *p, void *data);
	struct file *(*fd_lookup)(struct process *p, int fd, void *data);
	/* The contents of the process's memory, for a kernel that copies
	 * to or from it (access_process_vm(), copy_to_user() of an
	 * iommufd_access_rw()): 0 or -EFAULT. NULL: a scenario's process,
	 * whose pages' contents are the modelled physmem's at their PAs. */
	int (*access_vm)(struct process *p, u64 va, void *buf, u64 len,
			 bool write, void *data);
	void *hook_data; /* fault's, fd_alloc's, fd_lookup's and access_vm's
			    @data */
	/* the model's memory budget (pt/physmem.h), charged 8 bytes a page
	 * of every VMA's PA list: a mapping past it is -ENOMEM. NULL: none
	 * (a unit test's or a preload shim's process) */
	struct physmem *budget;
};

/* A root process: every capability, init's memlock limit (MLOCK_LIMIT),
 * no memory, a user of its own. */
struct process *process_new(void);
/* setrlimit(RLIMIT_MEMLOCK, {@bytes, @bytes}): kernel/sys.c do_prlimit()
 * refuses a higher hard limit without CAP_SYS_RESOURCE (-EPERM) */
int process_setrlimit_memlock(struct process *p, u64 bytes);
/* Why iommu_model_copy() cannot copy @p (iommufd/copy.c copies the
 * rest: its VMAs, files, user and counters), or NULL: a pager or fd
 * hooks (a preload shim's process). An event queue's file is copied
 * with its object (whose kind iommufd_copy_check() may refuse). */
const char *process_copy_refusal(const struct process *p);
/*
 * fork() (kernel/fork.c copy_process()): the child gets the parent's
 * capabilities and RLIMIT_MEMLOCK (copy_creds(), copy_signal()), shares
 * its user_struct (get_uid()), gets a new mm with the parent's VMAs and
 * pinned_vm and locked_vm 0 (dup_mm(), mm_init()), and a copy of its fd
 * table, each file one reference more (dup_fd()). The VMAs are private
 * anonymous memory: the child's pages are copies (COW, broken when it
 * writes or pins them; a page the parent has pinned is copied at fork,
 * copy_present_page()), so each of its pages gets the PA @copy_pa gives
 * for the parent's (its physically contiguous runs kept if @copy_pa
 * keeps them). The hooks (fault, fd_alloc, fd_lookup) are not inherited:
 * a preload shim's real process forks for real, not in the model.
 */
struct process *process_fork(struct process *parent,
			     u64 (*copy_pa)(u64 pa, void *data), void *data);
/* Its mappings' PA lists charged to @m's memory budget from now on (call
 * before it maps anything) */
void process_charge_to(struct process *p, struct iommu_model *m);
/* Whether @p is still as process_new() made it (nothing to show). */
bool process_is_new(const struct process *p);
/* exit(): the files close (exit_files()), the mm goes (exit_mm(): pages
 * it mapped can no longer be pinned, pfn_reader_user_pin()'s
 * mmget_not_zero() fails, though those already pinned stay where they
 * are: the VMAs are kept as their record), and the owner's reference
 * drops: the process struct goes once no mapping made by it is left
 * (iopt_pages hold it, as the kernel's mmgrab() does). */
void process_free(struct process *p);
static inline struct process *process_get(struct process *p)
{
	p->refs++;
	return p;
}
void process_put(struct process *p);
static inline bool capable(const struct process *p, int cap)
{
	return p && (p->caps & CAP_BIT(cap));
}

/*
 * mmap at @start (page aligned) of @length bytes whose page i lives at
 * @page_pa[i]: 0, -EINVAL (unaligned, empty), -EEXIST (overlaps a VMA) or
 * -ENOMEM (its PA list is past p->budget).
 */
int process_mmap(struct process *p, u64 start, u64 length, const u64 *page_pa,
		 bool writable);
/* The same with page i at @pa_of(i, @priv): no list is built before the
 * budget is checked. */
int process_mmap_fn(struct process *p, u64 start, u64 length,
		    u64 (*pa_of)(u64 i, const void *priv), const void *priv,
		    bool writable);
/* The same with the pages one physically contiguous run from @pa. */
int process_mmap_contig(struct process *p, u64 start, u64 length, u64 pa,
			bool writable);
/* mmap(MAP_SHARED) of the memfd at @fd from offset 0: its pages */
int process_mmap_file(struct process *p, u64 start, u64 length, int fd,
		      bool writable);
int process_munmap(struct process *p, u64 start);
/* The VMA starting at @start becomes VM_IO | VM_PFNMAP (remap_pfn_range()
 * of an mmap handler, e.g. vfio_pci_core_mmap()'s): 0 or -EINVAL (none) */
int process_set_pfnmap(struct process *p, u64 start);
/* munmap(@start, @length): every page of the range goes, a VMA across
 * either end keeps its outside part; 0 or -EINVAL (unaligned, empty). */
int process_munmap_range(struct process *p, u64 start, u64 length);
/* The PA behind user VA @va (asking p->fault first when no VMA covers
 * it), 0 if nothing is mapped there. */
u64 process_va_to_pa(struct process *p, u64 va, bool *writable);
/* The same as get_user_pages() finds it: 0 also for a page of a
 * VM_IO | VM_PFNMAP VMA (check_vma_flags(): -EFAULT) */
u64 process_gup_va_to_pa(struct process *p, u64 va, bool *writable);
/* Whether @va lies in a VM_IO | VM_PFNMAP VMA (faulting it in first, as
 * process_va_to_pa() does) */
bool process_va_is_pfnmap(struct process *p, u64 va);

/* memfd_create + ftruncate, pages laid out as @page_pa: the new fd. */
int process_memfd_create(struct process *p, u64 size, const u64 *page_pa);
/* The same with page i at @pa_of(i, @priv); -ENOMEM when its page list
 * is past p->budget, nothing installed. */
int process_memfd_create_fn(struct process *p, u64 size,
			    u64 (*pa_of)(u64 i, const void *priv),
			    const void *priv);
/* anon_inode_getfile(): a file with no pages whose @release(@priv) runs
 * when its last reference goes. */
struct file *anon_inode_getfile(const char *name, void (*release)(void *),
				void *priv);
/* fd_install() at the lowest free fd (get_unused_fd_flags(), or
 * p->fd_alloc's): the fd, or -errno. */
int process_fd_install(struct process *p, struct file *f);
int process_close_fd(struct process *p, int fd);
/* The slot @fd emptied if it still holds @f, whose table reference is
 * put (an owner's close of its stand-in: VFIO's vfio_file_free()). */
void process_fd_remove(struct process *p, int fd, struct file *f);
struct file *fget(struct process *p, int fd);
/* The file at @fd in the table as it stands (no fd_lookup), or NULL. */
struct file *process_file_at(struct process *p, int fd);
/* read(2) / write(2) of @fd (vfs_read(), vfs_write()): a memfd's at its
 * position (shmem.c), else the file's op, -EINVAL when it has none,
 * -EBADF when there is no file */
ssize_t process_file_rw(struct process *p, int fd, u64 ubuf, u64 count,
			bool write);
/* pread(2) / pwrite(2) of @fd at @pos (ksys_pread64(), ksys_pwrite64()),
 * f_pos untouched: a memfd's as process_file_rw() at @pos; an
 * anon-inode file (an eventfd, an event queue, a dma-buf) has no
 * FMODE_PREAD/PWRITE: -ESPIPE. (VFIO's and iommufd's files are their
 * owners' to answer.) */
ssize_t process_file_prw(struct process *p, int fd, u64 ubuf, u64 count,
			 u64 pos, bool write);
/* One page of a memfd: its index in the file and its PA. */
struct shmem_page {
	u64 index;
	u64 pa;
};

/* The PA of page @index of memfd @f, 0 for a hole. */
u64 shmem_page_find(const struct file *f, u64 index);
/* Page @index of memfd @f, a hole filled first (shmem_get_folio()'s
 * allocation): its PA, or 0 and *err -ENOMEM (its record past the
 * budget). */
u64 shmem_page_get(struct file *f, u64 index, int *err);
/* Page @index of memfd @f at @pa, where it has none (a file's pages
 * laid out by its maker: no record charged). */
void shmem_page_insert(struct file *f, u64 index, u64 pa);
/* The holes among pages [0, @n) of memfd @f. */
u64 shmem_holes(const struct file *f, u64 n);

/* shmem_file_read_iter() / shmem_file_write_iter() of memfd @f at f->pos
 * (shmem.c): bytes copied, or -errno when none were */
ssize_t shmem_file_read(struct file *f, struct process *task, u64 ubuf,
			u64 count);
ssize_t shmem_file_write(struct file *f, struct process *task, u64 ubuf,
			 u64 count);
void fput(struct file *f);

/* Counters, VMAs and fds as text (iommufd.h's snapshot, for a caller). */
char *process_state_snapshot(const struct process *p);
/* The same folded into @h (iommufd/state_hash.c), for an explorer's key */
u64 process_state_hash(const struct process *p, u64 h);

/* copy_from_user / copy_to_user on a user pointer from a uapi field:
 * 0 or -EFAULT (a NULL pointer). */
int process_copy_from_user(struct process *p, void *dst, u64 uptr, u64 len);
int process_copy_to_user(struct process *p, u64 uptr, const void *src, u64 len);
/* p->access_vm (which must be set): @len bytes at user VA @va */
int process_access_vm(struct process *p, u64 va, void *buf, u64 len,
		      bool write);
/* clear_user(): @len zero bytes at @uptr; 0 or -EFAULT (NULL) */
int process_clear_user(struct process *p, u64 uptr, u64 len);

#endif
