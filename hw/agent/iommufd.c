// SPDX-License-Identifier: MIT
/*
 * iommufd.c - the agent's iommufd verbs, run for real in the guest: the
 * ioctls by their uapi names with the struct filled from the step's
 * arguments (the real <linux/iommufd.h> of the guest kernel's
 * headers_install), the thin VFIO calls that reach iommufd through a
 * device's cdev (vfio-pci bound through driver_override, /dev/vfio/devices/
 * vfioN or noiommu-vfioN opened, VFIO_DEVICE_BIND_IOMMUFD,
 * VFIO_DEVICE_ATTACH/DETACH_IOMMUFD_PT, close), and the calling process
 * (mmap'd buffers, memfds, capset, setrlimit, /proc/self/status).
 *
 * Handles arrive as slots (fd0, ioas2, dev1, va3, mfd4: program.c); an out
 * field naming a slot binds it to what the kernel returned, and every out
 * field is printed as key=value for the host to compare through mappings
 * (ids, kernel-chosen IOVAs), never as equal numbers. GET_PA also prints
 * what /proc/self/pagemap says of the buffer behind the IOVA: pagemap=ok
 * when out_phys is the page's PA plus the IOVA's offset, and contig= the
 * physically contiguous bytes from the IOVA to the mapping's end.
 *
 * Built for the host too (agent --verbs): without 7.3's uapi headers the
 * verbs exist and answer "unsupported".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>
#if __has_include(<linux/iommufd.h>)
#include <linux/iommufd.h>
#endif
#include <linux/vfio.h>

#include "agent.h"

#if defined(IOMMU_IOAS_NOIOMMU_GET_PA) && defined(VFIO_DEVICE_BIND_IOMMUFD)
#define HAVE_IOMMUFD 1
#endif

/* ---- slots: the scenario's handles and what they stand for ---- */

#ifndef MIN
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#endif
/* a random walk binds a handle at nearly every step and maps at many:
 * room for walks of a thousand steps (64 each once made a long walk's
 * later handles unbound, and a read of an unbound fd read fd 0, the
 * console, and waited until QEMU's timeout) */
#define MAX_SLOTS 4096
#define MAX_MAPS 1024

struct slot {
	char name[24];
	uint64_t val;
	int cdev;      /* devN: the open cdev (-1 when unbound) */
	char dev[64];  /* devN: the scenario's device */
	bool attached; /* devN: VFIO's iommufd_attached */
	uint64_t len;  /* vaN: the mapping's length */
	bool is_fd;    /* fdN, mfdN: closed at the end */
	bool was_fd;   /* bound to a file, open or since closed */
};

/* IOAS mappings the agent made, to find the buffer behind an IOVA */
/* what an IOAS of one iommufd (the agent's fd) maps: the buffer behind an
 * IOVA, for GET_PA's pagemap check. IOAS ids are per iommufd and come back
 * after a destroy (xa_alloc(), not cyclic), so a record goes with its IOAS
 * and its file. */
struct amap {
	int ictx;
	uint64_t ioas, iova, len, va;
};

static struct slot slots[MAX_SLOTS];
static int nslots;
static struct amap maps[MAX_MAPS];
static int nmaps;
static struct rlimit saved_memlock;
static bool memlock_saved;

static struct slot *slot_find(const char *name)
{
	for (int i = 0; i < nslots; i++) {
		if (!strcmp(slots[i].name, name))
			return &slots[i];
	}
	return NULL;
}

static struct slot *slot_bind(const char *name, uint64_t val)
{
	struct slot *s = slot_find(name);

	if (!s && nslots < MAX_SLOTS) {
		s = &slots[nslots++];
		memset(s, 0, sizeof(*s));
		snprintf(s->name, sizeof(s->name), "%s", name);
		s->cdev = -1;
	}
	if (s)
		s->val = val;
	else /* in the step's line: a disagreement, not a silent 0 */
		printf(" agent-handles-full=%d", MAX_SLOTS);
	return s;
}

const char *ifd_arg(const struct step *st, const char *key)
{
	for (int i = 0; i < st->nargs; i++) {
		if (!strcmp(st->args[i].key, key))
			return st->args[i].val;
	}
	return NULL;
}

/* A number as written, or the value of a bound slot (0 if unbound) */
static uint64_t value_of(const char *v)
{
	struct slot *s;

	if (!v)
		return 0;
	if ((v[0] >= '0' && v[0] <= '9') || v[0] == '-')
		return strtoull(v, NULL, 0);
	s = slot_find(v);
	return s ? s->val : 0;
}

uint64_t ifd_num(const struct step *st, const char *key, uint64_t def)
{
	const char *v = ifd_arg(st, key);

	return v ? value_of(v) : def;
}

/* An out field: bind its slot when the step names one */
static struct slot *out_slot(const struct step *st, const char *key, uint64_t v)
{
	const char *name = ifd_arg(st, key);

	if (name && !(name[0] >= '0' && name[0] <= '9'))
		return slot_bind(name, v);
	return NULL;
}

void ifd_out_bind(const struct step *st, const char *key, uint64_t v)
{
	out_slot(st, key, v);
}

/* Whether @key is a number as written or a slot bound to a file: what
 * the model's run and the agent ask the kernel of alike where it takes
 * the number as an fd (another slot's number, an object id, names
 * different files in the model's process and the agent's) */
bool ifd_arg_is_file(const struct step *st, const char *key)
{
	const char *v = ifd_arg(st, key);
	struct slot *s;

	if (!v || (v[0] >= '0' && v[0] <= '9') || v[0] == '-')
		return true;
	s = slot_find(v);
	return s && s->was_fd;
}

/* The slot an argument names, NULL if none */
static struct slot *slot_arg(const struct step *st, const char *key)
{
	return ifd_arg(st, key) ? slot_find(ifd_arg(st, key)) : NULL;
}

static void print_err(int err)
{
	printf(" -%s", errname(err));
}

/* ---- the process: buffers, memfds, capabilities, memlock ---- */

#define SZ_2M (2ull << 20)

static void touch(char *p, uint64_t len, bool writable)
{
	volatile char sink;

	for (uint64_t o = 0; o < len; o += 4096) {
		if (writable)
			p[o] = 0;
		else
			sink = p[o];
	}
	(void)sink;
}

/*
 * fd=: MAP_SHARED of that memfd from offset 0, faulted in by reading (a
 * write would change the file). Past the file's last page (an event
 * queue's file has none) the model's process has no pages to give
 * (process_mmap_file()): EINVAL here too, where the kernel would map it
 * and SIGBUS at the fault-in.
 */
static void *mmap_file(const struct step *st, uint64_t size, int prot,
		       uint64_t va)
{
	int fd = (int)ifd_num(st, "fd", 0);
	struct stat sb;
	char *p;

	if (fstat(fd, &sb)) {
		print_err(errno);
		return NULL;
	}
	if (size > (((uint64_t)sb.st_size + 4095) & ~4095ull)) {
		print_err(EINVAL);
		return NULL;
	}
	p = mmap((void *)(uintptr_t)va, size, prot,
		 MAP_SHARED | MAP_POPULATE | (va ? MAP_FIXED_NOREPLACE : 0), fd,
		 0);
	if (p == MAP_FAILED) {
		print_err(errno);
		return NULL;
	}
	touch(p, size, false);
	return p;
}

/*
 * mmap() as layout= asks: contiguous and huge from huge pages (MAP_HUGETLB,
 * hugepages= on the kernel command line; physically contiguous 2 MiB),
 * scattered from small pages. The physical layout is the kernel's: GET_PA
 * is compared through /proc/self/pagemap. fd=: a memfd's pages.
 */
void ifd_mmap(const struct step *st)
{
	uint64_t size = ifd_num(st, "size", 4096), va = ifd_num(st, "va", 0);
	const char *layout = ifd_arg(st, "layout") ? ifd_arg(st, "layout") : "";
	bool writable = ifd_num(st, "writable", 1), huge;
	int prot = PROT_READ | PROT_WRITE;
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE;
	uint64_t len = size;
	struct slot *s;
	char *p;

	if (ifd_arg(st, "fd")) {
		p = mmap_file(st, size, writable ? prot : PROT_READ, va);
		if (!p)
			return;
		len = size;
		goto bind;
	}
	huge = strcmp(layout, "scattered") && size > 4096;
	if (huge) {
		flags |= MAP_HUGETLB;
		len = (size + SZ_2M - 1) & ~(SZ_2M - 1);
	}
	if (va)
		flags |= MAP_FIXED_NOREPLACE;
	p = mmap((void *)(uintptr_t)va, len, prot, flags, -1, 0);
	if (p == MAP_FAILED && huge) { /* no huge pages: small ones */
		flags &= ~MAP_HUGETLB;
		len = size;
		p = mmap((void *)(uintptr_t)va, len, prot, flags, -1, 0);
	}
	if (p == MAP_FAILED) {
		print_err(errno);
		return;
	}
	if (!huge)
		madvise(p, len, MADV_NOHUGEPAGE);
	touch(p, len, true);
	if (!writable)
		mprotect(p, len, PROT_READ);
bind:
	s = out_slot(st, "out_va", (uintptr_t)p);
	if (s)
		s->len = len;
	printf(" 0 out_va=0x%llx", (unsigned long long)(uintptr_t)p);
}

void ifd_memfd_create(const struct step *st)
{
	uint64_t size = ifd_num(st, "size", 4096);
	int fd = memfd_create("iommusim", 0);
	struct slot *s;

	if (fd < 0 || ftruncate(fd, size)) {
		print_err(errno);
		return;
	}
	s = out_slot(st, "out_fd", fd);
	if (s)
		s->is_fd = s->was_fd = true;
	printf(" 0 out_fd=%d", fd);
}

/* capset(): drop= and raise= as bits in the row's order (CAP_IPC_LOCK,
 * CAP_SYS_RAWIO, CAP_SYS_RESOURCE, CAP_SYS_ADMIN), on the effective set */
static const int cap_bits[] = { CAP_IPC_LOCK, CAP_SYS_RAWIO, CAP_SYS_RESOURCE,
				CAP_SYS_ADMIN };

static int caps_change(uint64_t drop, uint64_t raise)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	for (unsigned int i = 0; i < sizeof(cap_bits) / sizeof(*cap_bits);
	     i++) {
		int c = cap_bits[i];

		if (drop & (1ull << i))
			d[c / 32].effective &= ~(1u << (c % 32));
		if (raise & (1ull << i))
			d[c / 32].effective |= 1u << (c % 32);
	}
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/* every bit of cap_bits: what the agent starts with and gives back */
#define CAPS_ALL ((1ull << (sizeof(cap_bits) / sizeof(*cap_bits))) - 1)

int ifd_capset(const struct step *st)
{
	return caps_change(ifd_num(st, "drop", 0), ifd_num(st, "raise", 0));
}

int ifd_setrlimit(const struct step *st)
{
	uint64_t v = ifd_num(st, "RLIMIT_MEMLOCK", RLIM_INFINITY);
	struct rlimit r = { v, v };

	if (!memlock_saved)
		getrlimit(RLIMIT_MEMLOCK, &saved_memlock);
	memlock_saved = true;
	return setrlimit(RLIMIT_MEMLOCK, &r) ? -errno : 0;
}

/* check_process: VmPin (mm->pinned_vm) and VmLck (mm->locked_vm) of
 * /proc/self/status (fs/proc/task_mmu.c task_mem()), in pages, or of the
 * parent's with process=parent (in a forked child: the agent waiting for
 * it); the user's locked_vm (iommufd's IOPT_PAGES_ACCOUNT_USER) has no
 * interface: "-" */
void ifd_check_process(const struct step *st)
{
	const char *who = ifd_arg(st, "process");
	char path[64], line[256];
	unsigned long kb;
	FILE *f;

	if (who && !strcmp(who, "parent"))
		snprintf(path, sizeof(path), "/proc/%d/status", (int)getppid());
	else
		snprintf(path, sizeof(path), "/proc/self/status");
	f = fopen(path, "r");

	if (!f) {
		print_err(errno);
		return;
	}
	printf(" 0 user_locked_vm=-");
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmPin: %lu", &kb) == 1)
			printf(" pinned_vm=0x%lx", kb / 4);
		else if (sscanf(line, "VmLck: %lu", &kb) == 1)
			printf(" mm_locked_vm=0x%lx", kb / 4);
	}
	fclose(f);
}

/* buf=vaN offset= len=: the bytes of the user buffer the step names,
 * NULL (EINVAL printed) when the range is not within it */
static unsigned char *buffer_range(const struct step *st, uint64_t *len)
{
	struct slot *s = slot_arg(st, "buf");
	uint64_t off = ifd_num(st, "offset", 0);

	*len = ifd_num(st, "len", 1);
	if (!s || !s->len || off + *len > s->len) {
		print_err(EINVAL);
		return NULL;
	}
	return (unsigned char *)(uintptr_t)s->val + off;
}

/* check_memory buf=vaN offset= len=: the byte the buffer holds throughout
 * (value=0xNN) or mixed; the model's PA of a buffer is the guest's VA */
void ifd_check_buffer(const struct step *st)
{
	uint64_t len;
	const unsigned char *p = buffer_range(st, &len);

	if (!p)
		return;
	for (uint64_t i = 1; i < len; i++) {
		if (p[i] != p[0]) {
			printf(" 0 value=mixed");
			return;
		}
	}
	printf(" 0 value=0x%02x", p[0]);
}

/* memory_write buf=vaN offset= len= pattern=: the CPU writes the buffer
 * (what the model's memory_write does at the buffer's pa=) */
void ifd_write_buffer(const struct step *st)
{
	uint64_t len;
	unsigned char *p = buffer_range(st, &len);

	if (!p)
		return;
	memset(p, (int)ifd_num(st, "pattern", 0), len);
	printf(" 0");
}

/* ---- /dev/iommu and the device's cdev ---- */

void ifd_open(const struct step *st)
{
	int fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);
	struct slot *s;

	if (fd < 0) {
		print_err(errno);
		return;
	}
	s = out_slot(st, "out_fd", fd);
	if (s)
		s->is_fd = s->was_fd = true;
	printf(" 0");
}

/* an fd the step opened (vfio.c): its out slot, closed at the end */
void ifd_fd_bind(const struct step *st, const char *key, int fd)
{
	struct slot *s = out_slot(st, key, fd);

	if (s)
		s->is_fd = s->was_fd = true;
}

int ifd_fd_close(const struct step *st, const char *key)
{
	struct slot *s = slot_arg(st, key);

	if (!s || !s->is_fd)
		return -EBADF;
	s->is_fd = false;
	ifd_map_del((int)s->val, 0, 0, 0); /* the number may come back */
	return close((int)s->val) ? -errno : 0;
}

int ifd_close(const struct step *st)
{
	return ifd_fd_close(st, "ictx");
}

int ifd_close_fd(const struct step *st)
{
	return ifd_fd_close(st, "fd");
}

#ifdef HAVE_IOMMUFD
/* the device's cdev (vfio.c), vfio-pci bound first (driver_override +
 * bind) when the scenario left it unbound: the thin VFIO path to
 * iommufd; *bound_here says so, and a failed open takes it back */
static int open_cdev(const char *bdf, bool *bound_here)
{
	char drv[64];
	int fd;

	*bound_here = false;
	dev_link(bdf, "driver", drv, sizeof(drv));
	if (strcmp(drv, "vfio-pci")) {
		if (strcmp(drv, "none"))
			return -EBUSY;
		if (bind_driver(bdf, "vfio-pci"))
			return -ENODEV;
		*bound_here = true;
	}
	fd = vfio_cdev_open(bdf);
	if (fd < 0 && *bound_here)
		unbind(bdf);
	return fd;
}

/* VFIO_DEVICE_BIND_IOMMUFD: vfio_df_ioctl_bind_iommufd() ->
 * vfio_iommufd_physical_bind() -> iommufd_device_bind() */
void ifd_bind(const struct step *st)
{
	struct device *d =
		ifd_arg(st, "dev") ? find_dev(ifd_arg(st, "dev")) : NULL;
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b) };
	bool bound_here;
	struct slot *s;
	int fd;

	if (!d || !d->present) {
		print_err(ENODEV);
		return;
	}
	for (int i = 0; i < nslots; i++) {
		if (slots[i].cdev >= 0 && !strcmp(slots[i].dev, d->name)) {
			printf(" n/a VFIO binds a cdev's device once "
			       "(vfio_df_open(): open_count, EINVAL)");
			return;
		}
	}
	fd = open_cdev(d->bdf, &bound_here);
	if (fd < 0) {
		printf(" n/a no cdev to open (%s)", errname(-fd));
		return;
	}
	b.iommufd = (int)ifd_num(st, "ictx", -1);
	if (ioctl(fd, VFIO_DEVICE_BIND_IOMMUFD, &b)) {
		print_err(errno);
		close(fd);
		/* the model's failed iommufd_device_bind() leaves the device
		 * as it was: no vfio-pci of the agent's making */
		if (bound_here)
			unbind(d->bdf);
		return;
	}
	s = out_slot(st, "out_dev_id", b.out_devid);
	if (s) {
		s->cdev = fd;
		s->attached = false;
		snprintf(s->dev, sizeof(s->dev), "%s", d->name);
	}
	printf(" 0 out_dev_id=0x%x", b.out_devid);
}

static struct slot *idev_slot(const struct step *st)
{
	struct slot *s = slot_arg(st, "idev");

	return s && s->cdev >= 0 ? s : NULL;
}

/*
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT: vfio_iommufd_physical_attach_ioas()
 * replaces when the device is attached and attaches when not, so the
 * kernel-internal attach (replace) has a guest counterpart only from the
 * state that calls it: otherwise n/a.
 */
static void attach_pt(const struct step *st, bool replace)
{
	struct vfio_device_attach_iommufd_pt a = { .argsz = sizeof(a) };
	struct slot *s = idev_slot(st);

	if (!s) {
		printf(" n/a the device has no open cdev");
		return;
	}
	if (s->attached != replace) {
		printf(" n/a VFIO %s here (vfio_iommufd_physical_attach_ioas)",
		       s->attached ? "replaces" : "attaches");
		return;
	}
	a.pt_id = (uint32_t)ifd_num(st, "pt_id", 0);
	if (ioctl(s->cdev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a)) {
		print_err(errno);
		return;
	}
	s->attached = true;
	ifd_out_bind(st, "out_pt_id", a.pt_id);
	printf(" 0 out_pt_id=0x%x", a.pt_id);
}

void ifd_attach(const struct step *st)
{
	attach_pt(st, false);
}

void ifd_replace(const struct step *st)
{
	attach_pt(st, true);
}

int ifd_detach(const struct step *st)
{
	struct vfio_device_detach_iommufd_pt dt = { .argsz = sizeof(dt) };
	struct slot *s = idev_slot(st);

	if (!s)
		return -EBADF;
	if (ioctl(s->cdev, VFIO_DEVICE_DETACH_IOMMUFD_PT, &dt))
		return -errno;
	s->attached = false;
	return 0;
}

/*
 * close(): vfio_df_unbind_iommufd() detaches and unbinds. The kernel
 * API's unbind of an idev still attached has no such form: VFIO detaches
 * first (vfio_iommufd_physical_unbind()), while iommufd_device_unbind()
 * alone finds the attach's user on the idev (-EBUSY in
 * iommufd_object_remove(), WARN_ON, the idev kept): n/a there.
 */
void ifd_unbind(const struct step *st)
{
	struct slot *s = idev_slot(st);

	if (!s) {
		print_err(EBADF);
		return;
	}
	if (s->attached) {
		printf(" n/a VFIO detaches before it unbinds "
		       "(vfio_iommufd_physical_unbind())");
		return;
	}
	close(s->cdev);
	s->cdev = -1;
	printf(" 0");
}
#else
void ifd_bind(const struct step *st)
{
	printf(" unsupported");
}
void ifd_attach(const struct step *st)
{
	printf(" unsupported");
}
void ifd_replace(const struct step *st)
{
	printf(" unsupported");
}
int ifd_detach(const struct step *st)
{
	return -ENOSYS;
}
void ifd_unbind(const struct step *st)
{
	printf(" unsupported");
}
#endif

/* ---- the end of a scenario: everything the process held ---- */

void ifd_reset(void)
{
	for (int i = 0; i < nslots; i++) {
		struct slot *s = &slots[i];

		if (s->cdev >= 0)
			close(s->cdev);
		if (s->is_fd)
			close((int)s->val);
		if (s->len)
			munmap((void *)(uintptr_t)s->val, s->len);
	}
	nslots = 0;
	nmaps = 0;
	caps_change(0, CAPS_ALL);
	if (memlock_saved)
		setrlimit(RLIMIT_MEMLOCK, &saved_memlock);
	memlock_saved = false;
}

/* ---- IOAS mappings and /proc/self/pagemap ---- */

void ifd_map_add(int ictx, uint64_t ioas, uint64_t iova, uint64_t len,
		 uint64_t va)
{
	if (nmaps < MAX_MAPS)
		maps[nmaps++] = (struct amap){ ictx, ioas, iova, len, va };
}

static struct amap *map_at(int ictx, uint64_t ioas, uint64_t iova)
{
	for (int i = 0; i < nmaps; i++) {
		if (maps[i].ictx == ictx && maps[i].ioas == ioas &&
		    iova >= maps[i].iova && iova - maps[i].iova < maps[i].len)
			return &maps[i];
	}
	return NULL;
}

/* IOMMU_IOAS_UNMAP: drop what lies in [iova, iova + len); len 0: all of
 * the IOAS (IOMMU_DESTROY of its id); ioas 0: all of the file (close) */
void ifd_map_del(int ictx, uint64_t ioas, uint64_t iova, uint64_t len)
{
	for (int i = 0; i < nmaps;) {
		struct amap *m = &maps[i];

		if (m->ictx == ictx && (!ioas || m->ioas == ioas) &&
		    (!len || (m->iova >= iova && m->iova - iova < len)))
			*m = maps[--nmaps];
		else
			i++;
	}
}

/* IOMMU_IOAS_COPY: the destination maps the source's buffer */
void ifd_map_copy(int ictx, uint64_t src_ioas, uint64_t src_iova,
		  uint64_t dst_ioas, uint64_t dst_iova, uint64_t len)
{
	struct amap *m = map_at(ictx, src_ioas, src_iova);

	if (m)
		ifd_map_add(ictx, dst_ioas, dst_iova, len,
			    m->va + (src_iova - m->iova));
}

static uint64_t pfn_of(int fd, uint64_t va)
{
	uint64_t e = 0;

	if (pread(fd, &e, sizeof(e), (va / 4096) * sizeof(e)) != sizeof(e))
		return 0;
	return (e >> 63) & 1 ? e & ((1ull << 55) - 1) : 0;
}

/*
 * pagemap shows PFNs only to an opener with CAP_SYS_ADMIN (7.3
 * fs/proc/task_mmu.c pagemap_read(): show_pfn is
 * file_ns_capable(CAP_SYS_ADMIN) on the file's opener), and a scenario
 * may have dropped it (capset): open with it raised, then give the
 * scenario its own effective set back.
 */
static int pagemap_open(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int fd, got = syscall(SYS_capget, &h, d);

	caps_change(0, 1ull << 3); /* cap_bits[3]: CAP_SYS_ADMIN */
	fd = open("/proc/self/pagemap", O_RDONLY);
	if (!got)
		syscall(SYS_capset, &h, d);
	return fd;
}

/* pagemap=ok|bad (out_phys against the page's PA), contig= bytes */
void ifd_print_pagemap(int ictx, uint64_t ioas, uint64_t iova, uint64_t phys)
{
	struct amap *m = map_at(ictx, ioas, iova);
	int fd = pagemap_open();
	uint64_t va, end, pfn, p;

	if (!m || fd < 0) {
		printf(" pagemap=unknown");
		if (fd >= 0)
			close(fd);
		return;
	}
	va = m->va + (iova - m->iova);
	end = m->va + m->len;
	pfn = pfn_of(fd, va);
	printf(" pagemap=%s",
	       pfn && phys == (pfn << 12 | (va & 0xfff)) ? "ok" : "bad");
	for (p = (va | 0xfff) + 1; p < end; p += 4096) {
		if (pfn_of(fd, p) != pfn + ((p - (va & ~0xfffull)) >> 12))
			break;
	}
	printf(" contig=0x%llx", (unsigned long long)(MIN(p, end) - va));
	close(fd);
}
