// SPDX-License-Identifier: MIT
/*
 * vfio_pci_intrs.c - vfio-pci's interrupts (Linux 7.3
 * drivers/vfio/pci/vfio_pci_intrs.c, vfio_pci_core.c
 * vfio_pci_ioctl_set_irqs(), vfio_main.c
 * vfio_set_irqs_validate_and_prepare()): VFIO_DEVICE_SET_IRQS for INTx,
 * MSI, MSI-X, ERR and REQ, the device's one interrupt mode at a time
 * (vdev->irq_type), the eventfd each vector triggers and the loopback
 * triggers (DATA_NONE / DATA_BOOL) that signal it.
 *
 * The hardware side always succeeds: the vectors the device's MSI and
 * MSI-X capabilities offer are allocated (pci_alloc_irq_vectors(),
 * x86's dynamic MSI-X), request_irq() and the irq bypass never fail, and
 * the INTx line is connected with DisINTx masking (pci_2_3; QEMU's PCI
 * devices implement it) and nothing pending at an unmask. A device
 * interrupt itself is not modelled: only what userspace asks for.
 *
 * Ownership: vdev->irqs exists while anything is set up (an interrupt
 * mode, an ERR or REQ eventfd) and holds one ctx reference per trigger;
 * it goes when the last is released, at the latest at the device's last
 * close (vfio_pci_core_close_device()).
 */
#include "vfio/vfio_private.h"
#include "iommufd/eventfd.h"

#define PCI_COMMAND_INTX_DISABLE 0x400
#define IRQ_NONE_TYPE VFIO_PCI_NUM_IRQS /* vdev->irq_type when none */

/* The arguments of one SET_IRQS, as vfio_pci_set_irqs_ioctl() passes them */
struct irq_set {
	struct vfio_device *vdev;
	struct process *task;
	unsigned int index, start, count;
	u32 flags;
	const void *data;
};

static struct vfio_pci_irqs *irqs_get(struct vfio_device *vdev)
{
	if (!vdev->irqs) {
		vdev->irqs = g_new0(struct vfio_pci_irqs, 1);
		vdev->irqs->irq_type = IRQ_NONE_TYPE;
		vdev->irqs->ctx =
			g_hash_table_new(g_direct_hash, g_direct_equal);
	}
	return vdev->irqs;
}

/* Nothing left set up: the state goes (so an idle device copies) */
static void irqs_put_if_idle(struct vfio_device *vdev)
{
	struct vfio_pci_irqs *irqs = vdev->irqs;

	if (!irqs || irqs->irq_type != IRQ_NONE_TYPE ||
	    g_hash_table_size(irqs->ctx) || irqs->err_trigger ||
	    irqs->req_trigger)
		return;
	g_hash_table_destroy(irqs->ctx);
	g_free(irqs);
	vdev->irqs = NULL;
}

static unsigned int irq_type(const struct vfio_device *vdev)
{
	return vdev->irqs ? vdev->irqs->irq_type : IRQ_NONE_TYPE;
}

static bool is_irq_none(const struct vfio_device *vdev)
{
	return irq_type(vdev) == IRQ_NONE_TYPE;
}

static struct vfio_pci_irq_ctx *ctx_get(const struct vfio_device *vdev,
					unsigned int vector)
{
	return vdev->irqs ? g_hash_table_lookup(vdev->irqs->ctx,
						GUINT_TO_POINTER(vector))
			  : NULL;
}

static void ctx_free(struct vfio_device *vdev, unsigned int vector)
{
	struct vfio_pci_irq_ctx *ctx = ctx_get(vdev, vector);

	if (!ctx)
		return;
	eventfd_ctx_put(ctx->trigger);
	g_hash_table_remove(vdev->irqs->ctx, GUINT_TO_POINTER(vector));
	g_free(ctx);
}

static struct vfio_pci_irq_ctx *ctx_alloc(struct vfio_device *vdev,
					  unsigned int vector,
					  struct eventfd_ctx *trigger)
{
	struct vfio_pci_irq_ctx *ctx = g_new0(struct vfio_pci_irq_ctx, 1);

	ctx->trigger = trigger;
	g_hash_table_insert(irqs_get(vdev)->ctx, GUINT_TO_POINTER(vector), ctx);
	return ctx;
}

/* ---- INTx ---- */

/* vdev->virq_disabled: the virtual COMMAND's DisINTx (vfio_basic_config_
 * write() follows it) */
static bool virq_disabled(const struct vfio_device *vdev)
{
	return vdev->cfg.command & PCI_COMMAND_INTX_DISABLE;
}

/* vfio_send_intx_eventfd(): whether masked or not */
static void send_intx_eventfd(struct vfio_device *vdev)
{
	struct vfio_pci_irq_ctx *ctx = ctx_get(vdev, 0);

	if (irq_type(vdev) == VFIO_PCI_INTX_IRQ_INDEX && !virq_disabled(vdev) &&
	    ctx && ctx->trigger)
		eventfd_signal(ctx->trigger);
}

/* vfio_intx_enable(): the line requested, masked as DisINTx says */
static void intx_enable(struct vfio_device *vdev, struct eventfd_ctx *trigger)
{
	struct vfio_pci_irq_ctx *ctx = ctx_alloc(vdev, 0, trigger);

	ctx->masked = virq_disabled(vdev);
	vdev->irqs->irq_type = VFIO_PCI_INTX_IRQ_INDEX;
}

/* vfio_intx_disable(): the unmask eventfd's virqfd goes first */
static void intx_disable(struct vfio_device *vdev)
{
	vfio_virqfd_disable(&ctx_get(vdev, 0)->unmask);
	ctx_free(vdev, 0);
	vdev->irqs->irq_type = IRQ_NONE_TYPE;
	irqs_put_if_idle(vdev);
}

/* vfio_pci_set_intx_trigger() */
static int set_intx_trigger(const struct irq_set *s)
{
	struct vfio_device *vdev = s->vdev;
	bool intx = irq_type(vdev) == VFIO_PCI_INTX_IRQ_INDEX;
	struct eventfd_ctx *trigger = NULL;
	int fd, err = 0;

	if (intx && !s->count && (s->flags & VFIO_IRQ_SET_DATA_NONE)) {
		intx_disable(vdev);
		return 0;
	}
	if (!(intx || is_irq_none(vdev)) || s->start != 0 || s->count != 1)
		return iommu_refuse(vdev->vfio->m, -EINVAL,
				    "vfio_pci_set_intx_trigger",
				    "INTx is start 0, count 1, and needs INTx "
				    "or no interrupt mode (irq_type %u)",
				    irq_type(vdev));
	if (s->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		memcpy(&fd, s->data, sizeof(fd));
		if (fd >= 0 &&
		    !(trigger = eventfd_ctx_fdget(s->task, fd, &err)))
			return iommu_refuse(
				vdev->vfio->m, err, "eventfd_ctx_fdget",
				"fd %d is %s", fd,
				err == -EBADF ? "not open" : "not an eventfd");
		if (!intx) {
			intx_enable(vdev, trigger);
			return 0;
		}
		/* vfio_intx_set_signal(): the old trigger put */
		eventfd_ctx_put(ctx_get(vdev, 0)->trigger);
		ctx_get(vdev, 0)->trigger = trigger;
		return 0;
	}
	if (!intx)
		return iommu_refuse(vdev->vfio->m, -EINVAL,
				    "vfio_pci_set_intx_trigger",
				    "INTx is not enabled");
	if ((s->flags & VFIO_IRQ_SET_DATA_NONE) || *(const uint8_t *)s->data)
		send_intx_eventfd(vdev);
	return 0;
}

/* vfio_pci_intx_unmask_handler(): a masked line unmasks unless the
 * virtual DisINTx holds it; nothing is ever pending
 * (pci_check_and_unmask_intx() succeeds), so no signal is due (0). The
 * unmask eventfd's virqfd runs it too. */
static int intx_unmask_handler(void *opaque, void *data)
{
	struct vfio_pci_irq_ctx *ctx = data;

	if (ctx->masked && !virq_disabled(opaque))
		ctx->masked = false;
	return 0;
}

/* vfio_pci_set_intx_unmask()'s DATA_EVENTFD: an fd arms the unmask
 * eventfd (vfio_virqfd_enable()), a negative one disarms it
 * (vfio_virqfd_disable(), also when none is armed) */
static int set_intx_unmask_eventfd(const struct irq_set *s)
{
	struct vfio_pci_irq_ctx *ctx = ctx_get(s->vdev, 0);
	int32_t fd;

	memcpy(&fd, s->data, sizeof(fd));
	if (fd >= 0)
		return vfio_virqfd_enable(s->vdev->vfio->m, s->task, s->vdev,
					  intx_unmask_handler, ctx,
					  &ctx->unmask, fd);
	vfio_virqfd_disable(&ctx->unmask);
	return 0;
}

/* vfio_pci_set_intx_mask() / _unmask(): -EINVAL without INTx or for
 * another range than 0/1; ctx->masked follows (__vfio_pci_intx_mask(),
 * the unmask handler); a mask eventfd is -ENOTTY ("XXX implement me") */
static int set_intx_mask(const struct irq_set *s, bool mask)
{
	struct vfio_device *vdev = s->vdev;
	const char *kf =
		mask ? "vfio_pci_set_intx_mask" : "vfio_pci_set_intx_unmask";

	if (irq_type(vdev) != VFIO_PCI_INTX_IRQ_INDEX || s->start != 0 ||
	    s->count != 1)
		return iommu_refuse(vdev->vfio->m, -EINVAL, kf,
				    "INTx is not enabled, or start/count is "
				    "not 0/1");
	if (s->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		if (mask)
			return iommu_refuse(vdev->vfio->m, -ENOTTY, kf,
					    "a mask eventfd is not "
					    "implemented (XXX in 7.3)");
		return set_intx_unmask_eventfd(s);
	}
	if (!(s->flags & VFIO_IRQ_SET_DATA_NONE) && !*(const uint8_t *)s->data)
		return 0;
	if (mask)
		ctx_get(vdev, 0)->masked = true;
	else
		intx_unmask_handler(vdev, ctx_get(vdev, 0));
	return 0;
}

/* ---- MSI and MSI-X ---- */

/* vfio_msi_disable(): every vector's trigger put, the vectors freed */
static void msi_disable(struct vfio_device *vdev)
{
	GList *vectors = g_hash_table_get_keys(vdev->irqs->ctx);

	for (GList *l = vectors; l; l = l->next)
		ctx_free(vdev, GPOINTER_TO_UINT(l->data));
	g_list_free(vectors);
	vdev->irqs->irq_type = IRQ_NONE_TYPE;
	vdev->irqs->nvec = 0;
	irqs_put_if_idle(vdev);
}

/* vfio_msi_enable(): pci_alloc_irq_vectors(pdev, 1, nvec) gives them all
 * (nvec is within the capability's count), 0 of them -ERANGE */
static int msi_enable(struct vfio_device *vdev, unsigned int nvec, bool msix)
{
	/* __pci_enable_msi_range() checks the power state before the
	 * count, __pci_enable_msix_range() after it: -EINVAL out of D0 (a
	 * PMCSR write through the config region, vfio_pm_config_write()) */
	if (!msix && !vfio_config_in_d0(vdev))
		return iommu_refuse(vdev->vfio->m, -EINVAL,
				    "__pci_enable_msi_range",
				    "the function is not in D0");
	if (!nvec)
		return iommu_refuse(vdev->vfio->m, -ERANGE,
				    "pci_alloc_irq_vectors",
				    "no vector asked for (start + count 0, "
				    "fewer than min_vecs 1)");
	if (msix && !vfio_config_in_d0(vdev))
		return iommu_refuse(vdev->vfio->m, -EINVAL,
				    "__pci_enable_msix_range",
				    "the function is not in D0");
	irqs_get(vdev)->irq_type =
		msix ? VFIO_PCI_MSIX_IRQ_INDEX : VFIO_PCI_MSI_IRQ_INDEX;
	vdev->irqs->nvec = nvec;
	/* the virtual Multiple Message Capable: log2 of the vectors
	 * (fls(nvec * 2 - 1) - 1), which vfio_msi_config_write() caps the
	 * user's Multiple Message Enable at */
	if (!msix)
		vdev->msi_qmax = (u8)(g_bit_storage(nvec * 2 - 1) - 1);
	return 0;
}

/* vfio_msi_set_vector_signal(): the vector's old trigger goes first,
 * then @fd's ctx is taken (-1: none). An MSI vector past those enabled
 * has no irq (pci_irq_vector() -EINVAL); MSI-X allocates it
 * dynamically (has_dyn_msix on x86). */
static int msi_set_vector_signal(const struct irq_set *s, unsigned int vector,
				 int fd, bool msix)
{
	struct vfio_device *vdev = s->vdev;
	struct eventfd_ctx *trigger;
	int err;

	ctx_free(vdev, vector);
	if (fd < 0)
		return 0;
	if (!msix && vector >= vdev->irqs->nvec)
		return iommu_refuse(vdev->vfio->m, -EINVAL, "pci_irq_vector",
				    "MSI vector %u was not enabled (%u)",
				    vector, vdev->irqs->nvec);
	trigger = eventfd_ctx_fdget(s->task, fd, &err);
	if (!trigger)
		return iommu_refuse(vdev->vfio->m, err, "eventfd_ctx_fdget",
				    "vector %u: fd %d is %s", vector, fd,
				    err == -EBADF ? "not open"
						  : "not an eventfd");
	ctx_alloc(vdev, vector, trigger);
	return 0;
}

/* vfio_msi_set_block(): on a failure every vector of the block before
 * the failing one is switched off too (the kernel's own undo: a vector
 * that had a trigger before the call has none after it) */
static int msi_set_block(const struct irq_set *s, bool msix)
{
	unsigned int i, j;
	bool had = false;
	int ret = 0;

	for (i = s->start; i < s->start + s->count; i++)
		had |= ctx_get(s->vdev, i) != NULL;

	for (i = 0, j = s->start; i < s->count && !ret; i++, j++) {
		int32_t fd = -1;

		if (s->data)
			memcpy(&fd, (const char *)s->data + i * sizeof(fd),
			       sizeof(fd));
		ret = msi_set_vector_signal(s, j, fd, msix);
	}
	if (ret) {
		for (i = s->start; i < j; i++)
			ctx_free(s->vdev, i);
		/* a failure 7.3 does not undo: triggers the call found are
		 * gone (fail-nth and the trace note it) */
		if (had)
			s->vdev->vfio->m->left_inconsistent = true;
	}
	return ret;
}

/* the loopback: each vector of the range with a trigger is signalled
 * (DATA_NONE), or those whose bool is set (DATA_BOOL) */
static void msi_loopback(const struct irq_set *s)
{
	for (unsigned int i = s->start; i < s->start + s->count; i++) {
		struct vfio_pci_irq_ctx *ctx = ctx_get(s->vdev, i);
		bool fire = (s->flags & VFIO_IRQ_SET_DATA_NONE) ||
			    ((const uint8_t *)s->data)[i - s->start];

		if (ctx && fire)
			eventfd_signal(ctx->trigger);
	}
}

/* vfio_pci_set_msi_trigger() */
static int set_msi_trigger(const struct irq_set *s)
{
	struct vfio_device *vdev = s->vdev;
	bool msix = s->index == VFIO_PCI_MSIX_IRQ_INDEX;
	bool is = irq_type(vdev) == s->index;
	int ret;

	if (is && !s->count && (s->flags & VFIO_IRQ_SET_DATA_NONE)) {
		msi_disable(vdev);
		return 0;
	}
	if (!(is || is_irq_none(vdev)))
		return iommu_refuse(vdev->vfio->m, -EINVAL,
				    "vfio_pci_set_msi_trigger",
				    "interrupt mode %u is enabled, not %u",
				    irq_type(vdev), s->index);
	if (s->flags & VFIO_IRQ_SET_DATA_EVENTFD) {
		if (is)
			return msi_set_block(s, msix);
		ret = msi_enable(vdev, s->start + s->count, msix);
		if (ret)
			return ret;
		ret = msi_set_block(s, msix);
		if (ret)
			msi_disable(vdev);
		return ret;
	}
	if (!is)
		return iommu_refuse(vdev->vfio->m, -EINVAL,
				    "vfio_pci_set_msi_trigger",
				    "index %u is not enabled", s->index);
	msi_loopback(s);
	return 0;
}

/* ---- ERR and REQ ---- */

/* vfio_pci_eventfd_replace_locked() */
static void eventfd_replace(struct eventfd_ctx **slot, struct eventfd_ctx *ctx)
{
	eventfd_ctx_put(*slot);
	*slot = ctx;
}

/* vfio_pci_set_ctx_trigger_single(): DATA_NONE count 1 and DATA_BOOL
 * signal it (loopback), DATA_NONE count 0 and fd -1 drop it */
static int set_trigger_single(const struct irq_set *s,
			      struct eventfd_ctx **slot, const char *kf)
{
	struct iommu_model *m = s->vdev->vfio->m;
	struct eventfd_ctx *ctx;
	int32_t fd;
	int err;

	if (s->flags & VFIO_IRQ_SET_DATA_NONE) {
		if (!*slot)
			return iommu_refuse(m, -EINVAL, kf, "no eventfd set");
		if (s->count)
			eventfd_signal(*slot);
		else
			eventfd_replace(slot, NULL);
		return 0;
	}
	if (!s->count)
		return iommu_refuse(m, -EINVAL, kf, "count 0 with data");
	if (s->flags & VFIO_IRQ_SET_DATA_BOOL) {
		if (*(const uint8_t *)s->data && *slot)
			eventfd_signal(*slot);
		return 0;
	}
	memcpy(&fd, s->data, sizeof(fd));
	if (fd == -1) {
		eventfd_replace(slot, NULL);
		return 0;
	}
	if (fd < 0)
		return iommu_refuse(m, -EINVAL, kf, "fd %d", fd);
	ctx = eventfd_ctx_fdget(s->task, fd, &err);
	if (!ctx)
		return iommu_refuse(
			m, err, "eventfd_ctx_fdget", "fd %d is %s", fd,
			err == -EBADF ? "not open" : "not an eventfd");
	eventfd_replace(slot, ctx);
	return 0;
}

/* vfio_pci_set_err_trigger() / vfio_pci_set_req_trigger() (start and
 * count already within the index's one vector) */
static int set_err_req_trigger(const struct irq_set *s)
{
	struct vfio_pci_irqs *irqs = irqs_get(s->vdev);
	bool err = s->index == VFIO_PCI_ERR_IRQ_INDEX;
	int ret = set_trigger_single(
		s, err ? &irqs->err_trigger : &irqs->req_trigger,
		err ? "vfio_pci_set_err_trigger" : "vfio_pci_set_req_trigger");

	irqs_put_if_idle(s->vdev);
	return ret;
}

/* ---- the ioctl ---- */

/* vfio_pci_set_irqs_ioctl(): the handler for the index and action, none
 * (-ENOTTY) for MSI's masking, ERR's and REQ's but TRIGGER, or not one
 * action */
static int set_irqs(const struct irq_set *s)
{
	u32 action = s->flags & VFIO_IRQ_SET_ACTION_TYPE_MASK;

	switch (s->index) {
	case VFIO_PCI_INTX_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_MASK ||
		    action == VFIO_IRQ_SET_ACTION_UNMASK)
			return set_intx_mask(
				s, action == VFIO_IRQ_SET_ACTION_MASK);
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			return set_intx_trigger(s);
		break;
	case VFIO_PCI_MSI_IRQ_INDEX:
	case VFIO_PCI_MSIX_IRQ_INDEX:
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			return set_msi_trigger(s);
		break;
	default:
		if (action == VFIO_IRQ_SET_ACTION_TRIGGER)
			return set_err_req_trigger(s);
	}
	return iommu_refuse(
		s->vdev->vfio->m, -ENOTTY, "vfio_pci_set_irqs_ioctl",
		"no handler for index %u with action 0x%x", s->index, action);
}

/* vfio_set_irqs_validate_and_prepare(): -EINVAL for a short argsz, an
 * index past VFIO_PCI_NUM_IRQS, a wrapping range, an unknown flag, a
 * range past the index's count, not one data type, or data past argsz;
 * *data_size the bytes of data */
static int validate_and_prepare(struct iommu_model *m,
				const struct vfio_irq_set *hdr, u32 max,
				size_t *data_size)
{
	size_t minsz = offsetof(struct vfio_irq_set, count) + sizeof(u32);
	size_t size = 0;

	*data_size = 0;
	if (hdr->argsz < minsz || hdr->index >= VFIO_PCI_NUM_IRQS ||
	    hdr->count >= UINT32_MAX - hdr->start ||
	    (hdr->flags &
	     ~(VFIO_IRQ_SET_DATA_TYPE_MASK | VFIO_IRQ_SET_ACTION_TYPE_MASK)))
		return iommu_refuse(m, -EINVAL,
				    "vfio_set_irqs_validate_and_prepare",
				    "argsz %u, index %u, start %u count %u, "
				    "flags 0x%x",
				    hdr->argsz, hdr->index, hdr->start,
				    hdr->count, hdr->flags);
	if (hdr->start >= max || hdr->start + hdr->count > max)
		return iommu_refuse(m, -EINVAL,
				    "vfio_set_irqs_validate_and_prepare",
				    "start %u count %u past index %u's %u",
				    hdr->start, hdr->count, hdr->index, max);
	switch (hdr->flags & VFIO_IRQ_SET_DATA_TYPE_MASK) {
	case VFIO_IRQ_SET_DATA_NONE:
		break;
	case VFIO_IRQ_SET_DATA_BOOL:
		size = sizeof(uint8_t);
		break;
	case VFIO_IRQ_SET_DATA_EVENTFD:
		size = sizeof(int32_t);
		break;
	default:
		return iommu_refuse(
			m, -EINVAL, "vfio_set_irqs_validate_and_prepare",
			"not one data type: flags 0x%x", hdr->flags);
	}
	if (size && hdr->argsz - minsz < hdr->count * size)
		return iommu_refuse(m, -EINVAL,
				    "vfio_set_irqs_validate_and_prepare",
				    "argsz %u has no room for %u entries of "
				    "data",
				    hdr->argsz, hdr->count);
	*data_size = hdr->count * size;
	return 0;
}

/* vfio_pci_ioctl_set_irqs(): the header, its data (memdup_user(): -EFAULT
 * past the caller's buffer), the handler */
int vfio_pci_ioctl_set_irqs(struct vfio_file *df, struct process *task,
			    void *arg, size_t len)
{
	size_t minsz = offsetof(struct vfio_irq_set, count) + sizeof(u32);
	struct vfio_device *vdev = df->device;
	struct vfio_irq_set hdr;
	size_t data_size;
	int ret;

	if (len < minsz)
		return -EFAULT;
	memcpy(&hdr, arg, minsz);
	ret = validate_and_prepare(
		df->m, &hdr,
		hdr.index < VFIO_PCI_NUM_IRQS
			? vfio_pci_get_irq_count(&vdev->dev->res, hdr.index)
			: 0,
		&data_size);
	if (ret)
		return ret;
	if (data_size && len < minsz + data_size)
		return -EFAULT;
	return set_irqs(&(struct irq_set){
		.vdev = vdev,
		.task = task,
		.index = hdr.index,
		.start = hdr.start,
		.count = hdr.count,
		.flags = hdr.flags,
		.data = data_size ? (const char *)arg + minsz : NULL });
}

/* vfio_pci_core_close_device() -> vfio_pci_core_disable(): the interrupt
 * mode switched off (DATA_NONE | TRIGGER, count 0), then the ERR and REQ
 * eventfds dropped */
void vfio_pci_irqs_close(struct vfio_device *vdev)
{
	struct vfio_pci_irqs *irqs = vdev->irqs;

	if (!irqs)
		return;
	if (irqs->irq_type == VFIO_PCI_INTX_IRQ_INDEX)
		intx_disable(vdev);
	else if (irqs->irq_type != IRQ_NONE_TYPE)
		msi_disable(vdev);
	if (!vdev->irqs)
		return;
	eventfd_replace(&irqs->err_trigger, NULL);
	eventfd_replace(&irqs->req_trigger, NULL);
	irqs_put_if_idle(vdev);
}

unsigned int vfio_pci_irq_type(const struct vfio_device *vdev)
{
	return irq_type(vdev);
}

/* @vdev's interrupt state folded into @h: the mode and which vectors
 * have a trigger (state_hash.c) */
u64 vfio_pci_irqs_hash(const struct vfio_device *vdev, u64 h)
{
	const struct vfio_pci_irqs *irqs = vdev->irqs;

	if (!irqs)
		return h;
	h = h * 31 + irqs->irq_type + 1;
	h = h * 31 + g_hash_table_size(irqs->ctx);
	h = h * 31 + (irqs->err_trigger ? 2 : 0) + (irqs->req_trigger ? 1 : 0);
	if (irqs->irq_type == VFIO_PCI_INTX_IRQ_INDEX) {
		const struct vfio_pci_irq_ctx *ctx = ctx_get(vdev, 0);

		h = h * 31 + (ctx->unmask ? 2 : 0) + ctx->masked;
	}
	return h;
}
