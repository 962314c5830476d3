// SPDX-License-Identifier: MIT
/*
 * vfio_pci_rdwr.c - read() and write() of a BAR (Linux 7.3
 * drivers/vfio/pci/vfio_pci_rdwr.c vfio_pci_bar_rw(),
 * vfio_pci_core_do_io_rw()): the count or -errno exactly, the bytes not
 * (the model keeps no BAR contents: a device register's bytes are
 * QEMU's emulation, not kernel semantics; the MSI-X table's 0xff fill is
 * the kernel's and is given).
 *
 * And vfio-pci's ioeventfds (Linux 7.3
 * drivers/vfio/pci/vfio_pci_rdwr.c vfio_pci_ioeventfd(), with the
 * ioctl's own checks from vfio_pci_core.c vfio_pci_ioctl_ioeventfd()
 * and the teardown of vfio_pci_core_disable()): VFIO_DEVICE_IOEVENTFD
 * registers a write of @data, 1, 2, 4 or 8 bytes wide, at an offset of
 * one of the device's BARs, made each time an eventfd is signalled (a
 * virqfd, virqfd.c: the counter is read to 0 in the writer's call).
 *
 * A registration is known by its BAR, offset, data and width, not by
 * its eventfd: the same four again is -EEXIST whatever the fd, and fd -1
 * with them removes it. Closing the eventfd lets its virqfd go but not
 * the registration, which stays (and counts towards the limit) until
 * removed or the device's last close.
 *
 * The model keeps no BAR contents: the write itself changes nothing it
 * keeps, so a registration records only how many writes were made.
 *
 * Ownership: each registration is the device's (vdev->ioeventfds) and
 * owns its virqfd, which holds the eventfd's ctx.
 */
#include "vfio/vfio_private.h"
#include "iommufd/eventfd.h"
#include "copy.h"

#define VFIO_PCI_IOEVENTFD_MAX 1000 /* vfio_pci_priv.h */
#define VFIO_PCI_OFFSET_SHIFT 40    /* include/linux/vfio_pci_core.h */
#define VFIO_PCI_OFFSET_MASK ((1ull << VFIO_PCI_OFFSET_SHIFT) - 1)
#define PCI_MSIX_ENTRY_SIZE 16
#define PCI_COMMAND_MEMORY 0x2

struct vfio_pci_ioeventfd {
	struct vfio_device *vdev;
	struct virqfd *virqfd; /* NULL once its eventfd closed */
	u64 pos, data;
	unsigned int bar, count;
	/* the writes made (not state: no BAR contents are kept) */
	u64 writes;
};

/* ---- read() and write() of a BAR or the ROM ---- */

/* whether @bar holds the MSI-X table, [*start, *end) (vdev->msix_bar,
 * msix_offset, msix_size: 16 bytes a vector; msix_bar 0xff without
 * MSI-X, vfio_pci_core_enable()) */
static bool msix_table_in(const struct pci_func_res *res, unsigned int bar,
			  u64 *start, u64 *end)
{
	if (!res->msix_vectors || bar != res->msix_bar)
		return false;
	*start = res->msix_table;
	*end = *start + (u64)res->msix_vectors * PCI_MSIX_ENTRY_SIZE;
	return true;
}

/* the next access's width: the widest of 8, 4 and 2 that the fillable
 * bytes, @off's alignment and @max allow, else a byte */
static unsigned int io_width(size_t fillable, u64 off, unsigned int max)
{
	for (unsigned int w = 8; w > 1; w /= 2)
		if (fillable >= w && !(off % w) && max >= w)
			return w;
	return 1;
}

static void io_log(struct vfio_pci_io_log *log, unsigned int width)
{
	if (log && log->n < G_N_ELEMENTS(log->width))
		log->width[log->n++] = (u8)width;
}

/*
 * vfio_pci_core_do_io_rw(): access by access, each the widest the bytes
 * left before the excluded range and the offset's alignment allow; a
 * memory BAR's access is refused -EIO while memory is off
 * (vfio_pci_core_ioread##size()/_iowrite##size(): the bytes already done
 * are lost with it), the excluded range is filled with 0xff on a read and
 * dropped on a write, whatever the memory. The device's bytes are not
 * modelled: a read leaves them as @buf had them.
 */
ssize_t vfio_pci_core_do_io_rw(struct vfio_device *vdev,
			       const struct vfio_pci_io *io, u8 *buf, u64 off,
			       size_t count, bool iswrite, bool *modelled)
{
	size_t done = 0;

	while (count) {
		size_t fillable, filled;

		if (off < io->x_start)
			fillable = MIN(count, io->x_start - off);
		else if (off >= io->x_end)
			fillable = count;
		else
			fillable = 0;
		if (fillable) {
			if (io->test_mem && !vfio_pci_memory_enabled(vdev))
				return iommu_refuse(
					vdev->vfio->m, -EIO,
					"__vfio_pci_memory_enabled", "%s: %s",
					vdev->dev->name,
					vdev->cfg.command & PCI_COMMAND_MEMORY
						? "the function is in D3hot"
						: "COMMAND does not decode "
						  "memory");
			filled = io_width(fillable, off, io->max_width);
			io_log(io->log, (unsigned int)filled);
			if (!iswrite)
				*modelled = false;
		} else {
			filled = MIN(count, io->x_end - off);
			if (!iswrite)
				memset(buf + done, 0xff, filled);
		}
		count -= filled;
		done += filled;
		off += filled;
	}
	return (ssize_t)done;
}

/*
 * vfio_pci_bar_rw(): a BAR with a length (pci_resource_start(): the
 * guest's firmware assigned each) or -EINVAL, likewise the ROM: the
 * model's functions have no ROM BAR and no platform ROM (pdev->rom), so
 * it is always -EINVAL (and its accesses would be at most 4 bytes wide).
 * From @pos (-EINVAL at or past the end) the count is cut at the BAR's
 * end; vfio_pci_core_map_bars() mapped every BAR with a length at the
 * first open (nothing else claims the model's regions). A memory BAR's
 * accesses test memory; the MSI-X BAR excludes its table.
 */
ssize_t vfio_pci_bar_rw(struct vfio_device *vdev, void *buf, size_t count,
			unsigned int bar, u64 pos, bool iswrite, bool *modelled)
{
	const struct pci_func_res *res = &vdev->dev->res;
	struct vfio_pci_io io = { .max_width = 8 };
	u64 end = bar < PCI_STD_NUM_BARS ? res->bar_len[bar] : 0;

	if (!end)
		return iommu_refuse(vdev->vfio->m, -EINVAL, "vfio_pci_bar_rw",
				    bar < PCI_STD_NUM_BARS
					    ? "BAR%u is empty"
					    : "no ROM BAR and no platform ROM "
					      "(region %u)",
				    bar);
	if (pos >= end)
		return iommu_refuse(
			vdev->vfio->m, -EINVAL, "vfio_pci_bar_rw",
			"offset 0x%llx is past BAR%u's 0x%llx bytes",
			(unsigned long long)pos, bar, (unsigned long long)end);
	count = MIN(count, end - pos);
	io.test_mem = !(res->bar_io & (1u << bar));
	msix_table_in(res, bar, &io.x_start, &io.x_end);
	return vfio_pci_core_do_io_rw(vdev, &io, buf, pos, count, iswrite,
				      modelled);
}

/* ---- VFIO_DEVICE_IOEVENTFD ---- */

/* vfio_pci_ioeventfd_handler(): the write, unless the BAR is memory and
 * the device's memory is off (__vfio_pci_memory_enabled(): D3hot, or
 * vconfig's COMMAND without MEMORY);
 * memory_lock is never contended here, so the thread is never needed */
static int ioeventfd_handler(void *opaque, void *unused)
{
	struct vfio_pci_ioeventfd *ioeventfd = opaque;
	const struct vfio_device *vdev = ioeventfd->vdev;
	bool io = vdev->dev->res.bar_io & (1u << ioeventfd->bar);

	(void)unused;
	if (io || vfio_pci_memory_enabled(vdev))
		ioeventfd->writes++;
	return 0;
}

static void ioeventfd_free(struct vfio_device *vdev,
			   struct vfio_pci_ioeventfd *ioeventfd)
{
	vfio_virqfd_disable(&ioeventfd->virqfd);
	vdev->ioeventfds = g_list_remove(vdev->ioeventfds, ioeventfd);
	vdev->ioeventfds_nr--;
	g_free(ioeventfd);
}

static struct vfio_pci_ioeventfd *ioeventfd_find(struct vfio_device *vdev,
						 unsigned int bar, u64 pos,
						 u64 data, unsigned int count)
{
	for (GList *l = vdev->ioeventfds; l; l = l->next) {
		struct vfio_pci_ioeventfd *e = l->data;

		if (e->pos == pos && e->bar == bar && e->data == data &&
		    e->count == count)
			return e;
	}
	return NULL;
}

/* the range [pos, pos + count) touches the MSI-X table */
static bool overlaps_msix_table(const struct pci_func_res *res,
				unsigned int bar, u64 pos, unsigned int count)
{
	u64 start, end;

	return msix_table_in(res, bar, &start, &end) &&
	       !(pos + count <= start || pos >= end);
}

/* where the write goes: a BAR (-EINVAL for ROM, config, VGA or past),
 * within its length, clear of the MSI-X table */
static int ioeventfd_check_range(struct vfio_device *vdev, u64 index, u64 pos,
				 unsigned int count)
{
	const struct pci_func_res *res = &vdev->dev->res;
	struct iommu_model *m = vdev->vfio->m;

	if (index > VFIO_PCI_BAR5_REGION_INDEX)
		return iommu_refuse(m, -EINVAL, "vfio_pci_ioeventfd",
				    "region %llu is not a BAR",
				    (unsigned long long)index);
	if (pos + count > res->bar_len[index])
		return iommu_refuse(
			m, -EINVAL, "vfio_pci_ioeventfd",
			"0x%llx + %u is past BAR%llu's 0x%llx bytes",
			(unsigned long long)pos, count,
			(unsigned long long)index,
			(unsigned long long)res->bar_len[index]);
	if (overlaps_msix_table(res, (unsigned int)index, pos, count))
		return iommu_refuse(m, -EINVAL, "vfio_pci_ioeventfd",
				    "0x%llx + %u touches the MSI-X table",
				    (unsigned long long)pos, count);
	return 0;
}

/* vfio_pci_ioeventfd(): an existing registration is -EEXIST, or removed
 * by fd -1 (-ENODEV when there is none); past VFIO_PCI_IOEVENTFD_MAX
 * -ENOSPC, before the fd is looked at; then vfio_virqfd_enable()'s
 * errors */
static int vfio_pci_ioeventfd(struct vfio_device *vdev, struct process *task,
			      u64 offset, u64 data, unsigned int count, int fd)
{
	struct iommu_model *m = vdev->vfio->m;
	u64 pos = offset & VFIO_PCI_OFFSET_MASK;
	unsigned int bar = (unsigned int)(offset >> VFIO_PCI_OFFSET_SHIFT);
	struct vfio_pci_ioeventfd *ioeventfd;
	int ret;

	ret = ioeventfd_check_range(vdev, offset >> VFIO_PCI_OFFSET_SHIFT, pos,
				    count);
	if (ret)
		return ret;
	ioeventfd = ioeventfd_find(vdev, bar, pos, data, count);
	if (ioeventfd) {
		if (fd != -1)
			return iommu_refuse(m, -EEXIST, "vfio_pci_ioeventfd",
					    "BAR%u 0x%llx: this write is "
					    "registered",
					    bar, (unsigned long long)pos);
		ioeventfd_free(vdev, ioeventfd);
		return 0;
	}
	if (fd < 0)
		return iommu_refuse(m, -ENODEV, "vfio_pci_ioeventfd",
				    "no such registration to remove");
	if (vdev->ioeventfds_nr >= VFIO_PCI_IOEVENTFD_MAX)
		return iommu_refuse(m, -ENOSPC, "vfio_pci_ioeventfd",
				    "%u registrations (VFIO_PCI_IOEVENTFD_MAX)",
				    vdev->ioeventfds_nr);
	ioeventfd = g_new0(struct vfio_pci_ioeventfd, 1);
	ioeventfd->vdev = vdev;
	ioeventfd->pos = pos;
	ioeventfd->data = data;
	ioeventfd->bar = bar;
	ioeventfd->count = count;
	ret = vfio_virqfd_enable(m, task, ioeventfd, ioeventfd_handler, NULL,
				 &ioeventfd->virqfd, fd);
	if (ret) {
		g_free(ioeventfd);
		return ret;
	}
	vdev->ioeventfds = g_list_prepend(vdev->ioeventfds, ioeventfd);
	vdev->ioeventfds_nr++;
	return 0;
}

/* vfio_pci_ioctl_ioeventfd(): argsz to fd (-EINVAL short), only the
 * size flags, exactly one of them, fd -1 or an fd (-EINVAL) */
int vfio_pci_ioctl_ioeventfd(struct vfio_file *df, struct process *task,
			     void *arg, size_t len)
{
	size_t minsz =
		offsetof(struct vfio_device_ioeventfd, fd) + sizeof(int32_t);
	struct vfio_device_ioeventfd io = { 0 };
	unsigned int count;

	if (len < minsz)
		return -EFAULT;
	memcpy(&io, arg, minsz);
	count = io.flags & VFIO_DEVICE_IOEVENTFD_SIZE_MASK;
	if (io.argsz < minsz || (io.flags & ~VFIO_DEVICE_IOEVENTFD_SIZE_MASK) ||
	    __builtin_popcount(count) != 1 || io.fd < -1)
		return iommu_refuse(df->m, -EINVAL, "vfio_pci_ioctl_ioeventfd",
				    "argsz %u (at least %zu), flags 0x%x (one "
				    "width), fd %d (-1 or an fd)",
				    io.argsz, minsz, io.flags, io.fd);
	return vfio_pci_ioeventfd(df->device, task, io.offset, io.data, count,
				  io.fd);
}

/* vfio_pci_core_disable(): every registration's virqfd disabled (the
 * counter read to 0), the list emptied */
void vfio_pci_ioeventfds_close(struct vfio_device *vdev)
{
	while (vdev->ioeventfds)
		ioeventfd_free(vdev, vdev->ioeventfds->data);
}

/* The registrations of @o for its copy @n, in order, each virqfd
 * waiting on the copy of its eventfd */
GList *vfio_pci_ioeventfds_copy(struct iommu_copy *c,
				const struct vfio_device *o,
				struct vfio_device *n)
{
	GList *out = NULL;

	for (const GList *l = o->ioeventfds; l; l = l->next) {
		const struct vfio_pci_ioeventfd *e = l->data;
		struct vfio_pci_ioeventfd *x = g_memdup2(e, sizeof(*e));

		x->vdev = n;
		x->virqfd = vfio_virqfd_copy(c, e->virqfd, x, NULL, &x->virqfd);
		out = g_list_prepend(out, x);
	}
	return g_list_reverse(out);
}

u64 vfio_pci_ioeventfds_writes(const struct vfio_device *vdev)
{
	u64 n = 0;

	for (const GList *l = vdev->ioeventfds; l; l = l->next)
		n += ((const struct vfio_pci_ioeventfd *)l->data)->writes;
	return n;
}

/* the registrations folded into @h, whatever their order (the kernel's
 * list order shows nowhere) */
u64 vfio_pci_ioeventfds_hash(const struct vfio_device *vdev, u64 h)
{
	u64 sum = 0;

	for (const GList *l = vdev->ioeventfds; l; l = l->next) {
		const struct vfio_pci_ioeventfd *e = l->data;
		u64 x = ((u64)e->bar << 56) ^ e->pos ^
			(e->data * 0x9e3779b97f4a7c15ull) ^
			((u64)e->count << 48) ^ (e->virqfd ? 1ull << 63 : 0);

		sum += x * 0xff51afd7ed558ccdull;
	}
	return h * 31 + vdev->ioeventfds_nr + sum;
}
