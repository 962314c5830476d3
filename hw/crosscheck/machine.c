// SPDX-License-Identifier: MIT
/*
 * machine.c - a scenario's booted model as a q35 QEMU machine.
 *
 * The scenario runs on the model (sim's runner, the guest's profile); when
 * its boot step has run, the model's configuration, IOMMU, devices and
 * drivers become the QEMU command line and the kernel parameters. The
 * defaults (acs, pcie, np_cache, ...) are the model's and the device verbs
 * sim's verb table's: nothing here re-reads the topology statements. A
 * device the model gains after boot is a hotplug (setup_hotplug()).
 *
 * Each model object maps onto one QEMU device (docs/crosscheck.md has the
 * table and what the guest showed):
 *   IOMMU_DRV_AMD_VI         -device amd-iommu (its own PCI function
 *                            takes the first free slot on bus 0: 01.0,
 *                            and has no iommu group)
 *   IOMMU_DRV_INTEL_VTD      -device intel-iommu,intremap=on, with
 *                            kernel-irqchip=split; caching-mode=on
 *                            unless np_cache=0
 *   DEV_PCIE_ROOT_PORT       pcie-root-port (acs=0: disable-acs=on)
 *   DEV_PCIE_UPSTREAM        x3130-upstream
 *   DEV_PCIE_DOWNSTREAM      xio3130-downstream (no ACS in 7.2 nor 10.0)
 *   DEV_PCIE_PCI_BRIDGE      pcie-pci-bridge
 *   DEV_PCI_BRIDGE           pci-bridge
 *   DEV_PCI pcie=1 / pcie=0  e1000e / e1000 (no endpoint has ACS); at
 *                            00.0, 1f.0, 1f.2, 1f.3 q35's own devices
 *   IOMMU_DRV_ARM_SMMU_V3    the aarch64 guest instead: virt,iommu=smmuv3
 *                            with the same PCI devices (virt.c)
 * What QEMU cannot build (platform devices, DMA alias quirks, ACS on an
 * endpoint or a switch port, capability overrides...) makes the scenario
 * not guest-runnable, with the reason. What is q35's own (its IOMMUs, its
 * bus-0 functions) is in q35.c, what is virt's in virt.c; the kernel
 * parameters the steps imply (memmap=, hugepages=, noiommu) in cmdline.c.
 */
#include <string.h>

#include "hw.h"
#include "sim/op.h"
#include "vfio/vfio.h"

/* What the model run is watched for (observe()). */
struct build {
	struct hw_machine *hm;
	const struct hw_qemu *qemu;
	GPtrArray *dev_stmt;   /* model device index -> its statement */
	GPtrArray *iommu_stmt; /* model IOMMU index -> its statement */
	GHashTable *hw_of;     /* struct device * -> struct hw_dev * */
	int chassis;	       /* per PCI device: chassis, slot, id b<N> */
	bool booted;
};

void hw_why_not(struct hw_machine *m, const struct statement *st,
		const char *fmt, const char *what)
{
	g_autofree char *msg = NULL;

	msg = g_strdup_printf(fmt, what);
	g_string_append_printf(m->why_all, "line %d: %s: %s\n", st->line,
			       st->verb, msg);
	if (!m->why_not)
		m->why_not = g_strdup_printf("line %d: %s: %s", st->line,
					     st->verb, msg);
}

static void add_arg(struct hw_machine *m, const char *fmt, ...)
	G_GNUC_PRINTF(2, 3);

static void add_arg(struct hw_machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	g_ptr_array_add(m->qemu_args, g_strdup_vprintf(fmt, ap));
	va_end(ap);
}

/*
 * The capability the scenario set apart from its driver's defaults (the
 * model's iommu_device_add() for the same kind), or NULL: QEMU's IOMMUs
 * cannot change theirs. np_cache is checked per driver.
 */
static const char *changed_capability(const struct iommu_model *m,
				      const struct iommu_device *iommu)
{
	struct iommu_model *ref = iommu_model_new(m->profile);
	const struct iommu_device *d =
		iommu_device_add(ref, iommu->name, iommu->kind);
	const char *what = NULL;

	if (iommu->cap_cache_coherency != d->cap_cache_coherency)
		what = "cache_coherency";
	else if (iommu->cap_enforce_cache_coherency !=
		 d->cap_enforce_cache_coherency)
		what = "enforce_cache_coherency";
	else if (iommu->blocked != d->blocked)
		what = "blocked_domain";
	else if (iommu->identity != d->identity)
		what = "identity_domain";
	else if (iommu->paging != d->paging)
		what = "paging";
	else if (iommu->device_group != d->device_group)
		what = "group_per";
	else if (iommu->irq_remap != d->irq_remap)
		what = "irq_remap";
	else if (iommu->hats != d->hats)
		what = "hats";
	iommu_model_free(ref);
	return what;
}

static void setup_iommu(struct hw_machine *m, const struct hw_qemu *qemu,
			const struct iommu_model *model,
			const struct iommu_device *iommu,
			const struct statement *st)
{
	const char *what = changed_capability(model, iommu);
	const struct arg *drv = stmt_arg(st, "driver");

	if (what)
		hw_why_not(m, st, "%s: QEMU's IOMMUs have fixed capabilities",
			   what);
	if (m->arch == HW_ARCH_AARCH64) {
		hw_why_not(m, st, "%s", "virt has room for one IOMMU");
		return;
	}
	if (m->iommu)
		hw_why_not(m, st, "%s", "q35 has room for one IOMMU");
	if (m->iommu && iommu->kind == IOMMU_DRV_ARM_SMMU_V3)
		return;
	g_free(m->iommu);
	m->iommu = NULL;
	if (iommu->kind == IOMMU_DRV_AMD_VI) {
		hw_q35_amd_vi(m, qemu, iommu, st);
	} else if (iommu->kind == IOMMU_DRV_INTEL_VTD) {
		hw_q35_intel_vtd(m, iommu);
	} else if (iommu->kind == IOMMU_DRV_ARM_SMMU_V3) {
		hw_virt_smmuv3(m, qemu, st);
	} else {
		hw_why_not(m, st, "driver=%s has no QEMU x86 model",
			   drv ? drv->val.text : iommu->name);
	}
}

/* The QEMU device and its own properties for one PCI device. */
static char *qemu_device(struct build *b, const struct statement *st,
			 const struct device *dev, struct hw_dev *d,
			 const struct hw_dev *parent, int chassis)
{
	struct hw_machine *m = b->hm;
	const struct arg *model = stmt_arg(st, "model");
	bool on_conv = parent && parent->conventional_bus;

	switch (dev->kind) {
	case DEV_PCIE_ROOT_PORT:
		d->qemu_model = g_strdup("pcie-root-port");
		d->boot_driver = g_strdup("pcieport");
		return g_strdup_printf("pcie-root-port,chassis=%d,slot=%d%s",
				       chassis, chassis,
				       dev->acs ? "" : ",disable-acs=on");
	case DEV_PCIE_UPSTREAM:
		d->qemu_model = g_strdup("x3130-upstream");
		d->boot_driver = g_strdup("pcieport");
		return g_strdup(d->qemu_model);
	case DEV_PCIE_DOWNSTREAM:
		/* measured: no ACS capability in the guest from QEMU 7.2.22's
		 * nor 10.0.2's (docs/crosscheck.md) */
		if (dev->acs)
			hw_why_not(m, st, "%s",
				   "QEMU's xio3130-downstream has no ACS");
		d->qemu_model = g_strdup("xio3130-downstream");
		d->boot_driver = g_strdup("pcieport");
		return g_strdup_printf("xio3130-downstream,chassis=%d,slot=%d",
				       chassis, chassis);
	case DEV_PCIE_PCI_BRIDGE:
		d->qemu_model = g_strdup("pcie-pci-bridge");
		d->conventional_bus = true;
		return g_strdup(d->qemu_model);
	case DEV_PCI_BRIDGE:
		if (dev->pcie)
			hw_why_not(m, st, "%s",
				   "QEMU's pci-bridge is conventional");
		d->qemu_model = g_strdup("pci-bridge");
		d->conventional_bus = true;
		return g_strdup_printf("pci-bridge,chassis_nr=%d", chassis);
	default:
		break;
	}
	/* an endpoint: never isolated by ACS unless multifunction (pci.c:
	 * pci_acs_enabled), and no QEMU endpoint has the capability */
	if (dev->acs && dev->multifunction)
		hw_why_not(m, st, "%s",
			   "no QEMU endpoint has an ACS capability");
	/* QEMU's PCIe endpoint is e1000e, an Intel device (8086:10d3): on
	 * the root bus it is an RCiEP, which quirks.c pci_quirk_rciep_acs()
	 * isolates; a model device of another (or no) vendor is not */
	if (dev->pcie && dev->multifunction && !dev->parent &&
	    dev->vendor != 0x8086 &&
	    !(model && !g_strcmp0(model->val.text, "edu")))
		hw_why_not(
			m, st, "%s",
			"QEMU's PCIe endpoint is e1000e, an Intel RCiEP on the "
			"root bus (pci_quirk_rciep_acs() isolates its "
			"functions): "
			"say vendor=0x8086");
	if (dev->pcie && on_conv)
		hw_why_not(m, st, "%s",
			   "a PCIe endpoint on a conventional bus");
	/* model=edu (the model takes its BARs and interrupts,
	 * device_describe_pci()): QEMU's edu, the device that does the
	 * scenario's DMA
	 * (hw/kmod/iommusim_dma.c iommusim_dma()); conventional PCI, all 64
	 * address bits (its default mask is 28) */
	if (model && !g_strcmp0(model->val.text, "edu")) {
		d->qemu_model = g_strdup("edu");
		return g_strdup("edu,dma_mask=0xffffffffffffffff");
	}
	if (dev->ats)
		return hw_q35_ats_device(m, st, dev, d, parent);
	d->qemu_model = g_strdup(dev->pcie ? "e1000e" : "e1000");
	return g_strdup_printf("%s,romfile=", d->qemu_model);
}

/* What the model can say about a device and QEMU cannot build. */
static void check_unsupported(struct hw_machine *m, const struct statement *st,
			      const struct device *dev)
{
	if (dev->dma_alias_devfn >= 0)
		hw_why_not(m, st, "%s: no QEMU equivalent", "dma_alias");
	if (dev->untrusted)
		hw_why_not(m, st, "%s: no QEMU equivalent", "untrusted");
	if (dev->fw_direct_unplaced)
		hw_why_not(m, st, "%s: no QEMU equivalent", "require_direct");
	if (dev->n_fw_direct)
		hw_why_not(m, st, "%s",
			   "direct: QEMU's IVRS and DMAR tables have no IVMD "
			   "or RMRR");
	if (dev->def_domain_type)
		hw_why_not(m, st, "%s: no QEMU equivalent", "def_domain_type");
	if (dev->pasids)
		hw_why_not(m, st,
			   "%s: no device QEMU builds here has a PCIe PASID "
			   "capability",
			   "pasids");
}

/* The device already declared at @path, if any. */
static const struct hw_dev *dev_at(const struct hw_machine *m, const char *path)
{
	for (guint i = 0; i < m->devs->len; i++) {
		const struct hw_dev *d = m->devs->pdata[i];

		if (!strcmp(d->path, path))
			return d;
	}
	return NULL;
}

/*
 * A device added after boot is in the QEMU machine from the start; the
 * agent removes it through sysfs before the scenario and rescans its bus
 * at the step (a hotplug as Linux sees it: pci_bus_add_device() and the
 * IOMMU bus notifier). A device added where a deleted one was is that
 * QEMU device again.
 */
static bool setup_hotplug(struct hw_machine *m, const struct statement *st,
			  const struct device *dev, struct hw_dev *d)
{
	const struct hw_dev *old = dev_at(m, d->path);

	d->hotplug = true;
	if (!old)
		return false;
	if (dev->kind != DEV_PCI || old->kind != dev->kind ||
	    dev->pcie != !!strcmp(old->qemu_model, "e1000"))
		hw_why_not(m, st, "%s", "a different device where one was");
	d->qemu_model = g_strdup(old->qemu_model);
	d->qemu_id = g_strdup(old->qemu_id);
	d->replug = true;
	return true;
}

static struct hw_dev *hw_dev_new(struct build *b, const struct device *dev,
				 const char *addr)
{
	struct hw_dev *d = g_new0(struct hw_dev, 1);
	const struct hw_dev *parent =
		dev->parent ? g_hash_table_lookup(b->hw_of, dev->parent) : NULL;

	d->name = g_strdup(dev->name);
	d->kind = dev->kind;
	d->multifunction = dev->multifunction;
	d->path = parent ? g_strdup_printf("%s/%s", parent->path, addr)
			 : g_strdup(addr);
	g_hash_table_insert(b->hw_of, (gpointer)dev, d);
	return d;
}

static void setup_pci(struct build *b, const struct device *dev,
		      const struct statement *st)
{
	struct hw_machine *m = b->hm;
	g_autofree char *addr =
		g_strdup_printf("%02x.%x", dev->devfn >> 3, dev->devfn & 7);
	struct hw_dev *d = hw_dev_new(b, dev, addr);
	const struct hw_dev *parent =
		dev->parent ? g_hash_table_lookup(b->hw_of, dev->parent) : NULL;
	int chassis = ++b->chassis;
	char *qdev;

	check_unsupported(m, st, dev);
	if (b->booted && setup_hotplug(m, st, dev, d)) {
		g_ptr_array_add(m->devs, d);
		return;
	}
	if (b->booted && (dev->boot_driver || dev->kind != DEV_PCI))
		hw_why_not(m, st, "%s", "hotplug of a bridge or with a driver");
	d->qemu_id = g_strdup_printf("b%d", chassis);
	g_ptr_array_add(m->devs, d);
	if (!parent && m->arch == HW_ARCH_AARCH64 &&
	    hw_virt_builtin(m, st, dev, addr)) {
		d->qemu_model = g_strdup("virt-builtin");
		return;
	}
	if (!parent && m->arch == HW_ARCH_X86_64 &&
	    hw_q35_builtin(m, st, dev, addr)) {
		d->qemu_model = g_strdup("q35-builtin");
		return;
	}
	/* amd-iommu's own function takes the first free slot when it is
	 * realized: after the devices when a scenario wants 01.x */
	if (!parent && !strncmp(addr, "01.", 3))
		m->iommu_last = true;
	qdev = qemu_device(b, st, dev, d, parent, chassis);
	if (dev->boot_driver) {
		g_free(d->boot_driver);
		d->boot_driver =
			g_strdup(hw_guest_driver(m, d->name, dev->boot_driver));
	}
	add_arg(m, "-device");
	add_arg(m, "%s,id=%s,bus=%s,addr=%s%s", qdev, d->qemu_id,
		parent ? parent->qemu_id : "pcie.0", addr,
		dev->multifunction ? ",multifunction=on" : "");
	g_free(qdev);
}

static void setup_device(struct build *b, const struct device *dev,
			 const struct statement *st)
{
	if (dev->kind == DEV_PLATFORM)
		hw_why_not(b->hm, st, "%s",
			   b->hm->arch == HW_ARCH_AARCH64
				   ? "virt's SMMUv3 translates only its PCIe "
				     "root complex (iommu-map): no platform "
				     "device is behind it"
				   : "q35 has no platform IOMMU clients");
	else
		setup_pci(b, dev, st);
}

/* Function 0 of @d's slot, the first declared there, or NULL; *later:
 * declared after @d (a boot's devices are all there at once) */
static const struct hw_dev *slot_fn0(const struct hw_machine *m,
				     const struct hw_dev *d, bool *later)
{
	size_t n = strlen(d->path);
	bool after = false;

	for (guint j = 0; j < m->devs->len; j++) {
		const struct hw_dev *e = m->devs->pdata[j];

		after |= e == d;
		if (!strncmp(e->path, d->path, n - 1) &&
		    e->path[n - 1] == '0' && !e->path[n]) {
			*later = after;
			return e;
		}
	}
	return NULL;
}

static void not_runnable(struct hw_machine *m, const struct hw_dev *d,
			 const char *why)
{
	g_string_append_printf(m->why_all, "%s: function %s %s\n", d->name,
			       d->path, why);
	if (!m->why_not)
		m->why_not = g_strndup(m->why_all->str, m->why_all->len - 1);
}

/*
 * drivers/pci/probe.c pci_scan_slot() looks past function 0 only when it
 * is multifunction, and not at all when it is absent: the model does not
 * find such a function (model/core/pci_probe.c), nor does the guest when
 * function 0 is absent from the machine, on the root bus or behind a
 * bridge (the agent's resolve() then gives no address). QEMU refuses a
 * function 0 that
 * is not multifunction beside another function; and a function 0 the
 * scenario adds after another function of its slot is in the machine
 * from boot, so the guest finds that function before function 0's step.
 */
static void check_functions(struct hw_machine *m)
{
	for (guint i = 0; i < m->devs->len; i++) {
		const struct hw_dev *d = m->devs->pdata[i];
		size_t n = strlen(d->path);
		const struct hw_dev *e;
		bool later = false;

		if (d->path[n - 1] == '0')
			continue;
		e = slot_fn0(m, d, &later);
		if (e && !e->multifunction)
			not_runnable(m, d,
				     "needs a function 0 with multifunction=1 "
				     "(pci_scan_slot; QEMU refuses it)");
		else if (e && e->hotplug && later)
			not_runnable(
				m, d,
				"comes before its function 0: the "
				"harness's machine has function 0 from "
				"boot, so the guest's scan finds it first");
	}
}

/* The kernel's own configuration: parameters and the Kconfig variants
 * (IOMMU_DEFAULT's fragment, then VFIO's: kvariant.c). */
static void setup_config(struct hw_machine *m, const struct iommu_model *model)
{
	g_auto(GStrv) frag = g_new0(char *, 3);
	g_autofree char *why = NULL;
	int n = 0;

	if (model->cmdline_passthrough_set)
		g_string_append_printf(m->cmdline, " iommu.passthrough=%d",
				       model->cmdline_passthrough);
	if (model->cmdline_strict_set)
		g_string_append_printf(m->cmdline, " iommu.strict=%d",
				       model->cmdline_strict);
	if (model->iommufd_allow_unsafe_interrupts)
		g_string_append(m->cmdline,
				" iommufd.allow_unsafe_interrupts=1");
	/* vfio_iommu_type1.c's module parameter: without it a group with
	 * no isolated MSI joins no type1 container (-EPERM) */
	if (vfio_type1_allow_unsafe_interrupts(model))
		g_string_append(m->cmdline, " vfio_iommu_type1."
					    "allow_unsafe_interrupts=1");
	if (model->kconfig_default == IOMMU_DOMAIN_DMA)
		frag[n++] = g_strdup("iommu-default-strict.config");
	else if (model->kconfig_default == IOMMU_DOMAIN_IDENTITY)
		frag[n++] = g_strdup("iommu-default-passthrough.config");
	frag[n] = hw_vfio_variant(vfio_kconfig((struct iommu_model *)model),
				  &why);
	n += frag[n] != NULL;
	if (why)
		g_string_append_printf(m->why_all, "kconfig: %s\n", why);
	if (why && !m->why_not)
		m->why_not = g_strdup_printf("kconfig: %s", why);
	if (n)
		m->kconfig = g_strjoinv(" ", frag);
}

/* The booted model: configuration, IOMMUs, devices, declared drivers. */
static void take_machine(struct build *b, const struct iommu_model *model)
{
	struct hw_machine *m = b->hm;

	setup_config(m, model);
	for (guint i = 0; i < model->iommus->len; i++)
		setup_iommu(m, b->qemu, model, model->iommus->pdata[i],
			    b->iommu_stmt->pdata[i]);
	for (guint i = 0; i < model->drivers->len; i++) {
		const struct device_driver *drv = model->drivers->pdata[i];

		g_hash_table_insert(m->managed, g_strdup(drv->name),
				    GINT_TO_POINTER(drv->driver_managed_dma));
	}
	for (guint i = 0; i < model->devices->len; i++)
		setup_device(b, model->devices->pdata[i],
			     b->dev_stmt->pdata[i]);
	if (m->arch == HW_ARCH_AARCH64)
		hw_virt_config(m, model);
}

/* After each step of the model run: note which statement declared each
 * new IOMMU and device; at boot take the machine, after it hotplugs. */
static void observe(void *data, const struct iommu_model *model,
		    const struct step_result *sr)
{
	struct build *b = data;

	while (b->iommu_stmt->len < model->iommus->len)
		g_ptr_array_add(b->iommu_stmt, (gpointer)sr->st);
	for (guint i = b->dev_stmt->len; i < model->devices->len; i++) {
		g_ptr_array_add(b->dev_stmt, (gpointer)sr->st);
		if (b->booted)
			setup_device(b, model->devices->pdata[i], sr->st);
	}
	if (!b->booted && model->booted) {
		take_machine(b, model);
		b->booted = true;
	}
}

/* The scenario statement: guest=no, or not written for the guest's
 * profile. Such a scenario is not run at all. */
static void setup_scenario(struct hw_machine *m, const struct scenario *sc)
{
	const struct statement *st =
		sc->stmts->len ? sc->stmts->pdata[0] : NULL;
	g_auto(GStrv) profiles = scenario_profiles(sc);
	const struct arg *guest, *why;

	if (!st || strcmp(st->verb, "scenario"))
		return;
	guest = stmt_arg(st, "guest");
	why = stmt_arg(st, "why");
	if (guest && !g_strcmp0(guest->val.text, "no"))
		hw_why_not(m, st, "guest=no: %s",
			   why ? why->val.text : "(no why)");
	if (!g_strv_contains((const char *const *)profiles, HW_PROFILE))
		hw_why_not(m, st, "no %s profile", HW_PROFILE);
}

/* A group's reserved_regions file has a line a region; the agent answers
 * a check in one line (hw/agent/steps.c do_check_sysfs()) */
static void setup_checks(struct hw_machine *m, const struct scenario *sc)
{
	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];
		const struct arg *attr = stmt_arg(st, "attr");

		if (!strcmp(st->verb, "check_sysfs") && attr &&
		    !g_strcmp0(attr->val.text, "iommu_group/reserved_regions"))
			hw_why_not(m, st, "%s",
				   "attr=iommu_group/reserved_regions: its "
				   "lines do not fit the agent's one-line "
				   "answer");
	}
}

static void machine_key(struct hw_machine *m, const struct hw_qemu *qemu)
{
	GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);

	g_autoptr(GPtrArray) argv = hw_machine_argv(m);

	for (guint i = 0; i < argv->len; i++) {
		g_checksum_update(ck, argv->pdata[i], -1);
		g_checksum_update(ck, (const guchar *)"\n", 1);
	}
	g_checksum_update(ck, (const guchar *)m->cmdline->str, -1);
	if (m->mem)
		g_checksum_update(ck, (const guchar *)m->mem, -1);
	if (m->kconfig)
		g_checksum_update(ck, (const guchar *)m->kconfig, -1);
	g_checksum_update(ck, (const guchar *)qemu->version, -1);
	m->key = g_strndup(g_checksum_get_string(ck), 16);
	g_checksum_free(ck);
}

struct hw_machine *hw_machine_new(const struct scenario *sc,
				  const struct hw_qemu *qemu,
				  struct run_result **rr, GError **err)
{
	struct hw_machine *m = g_new0(struct hw_machine, 1);
	struct build b = { .hm = m, .qemu = qemu };
	struct run_opts opts = { .profile = HW_PROFILE,
				 .observe = observe,
				 .observe_data = &b };
	struct run_result *run = NULL;
	bool bad = false;

	m->devs = g_ptr_array_new();
	m->qemu_machine = g_strdup("q35");
	m->qemu_args = g_ptr_array_new_with_free_func(g_free);
	m->cmdline = g_string_new("");
	m->why_all = g_string_new("");
	m->managed =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	b.dev_stmt = g_ptr_array_new();
	b.iommu_stmt = g_ptr_array_new();
	b.hw_of = g_hash_table_new(g_direct_hash, g_direct_equal);
	setup_scenario(m, sc);
	setup_checks(m, sc);
	if (!m->why_not) {
		run = scenario_run(sc, &opts, err);
		bad = !run;
	}
	g_ptr_array_free(b.dev_stmt, TRUE);
	g_ptr_array_free(b.iommu_stmt, TRUE);
	g_hash_table_destroy(b.hw_of);
	if (bad) {
		hw_machine_free(m);
		return NULL;
	}
	check_functions(m);
	hw_cmdline_memory(m, sc);
	hw_cmdline_iommufd(m, sc);
	machine_key(m, qemu);
	if (rr)
		*rr = run;
	else if (run)
		run_result_free(run);
	return m;
}

bool stmt_is_device(const struct statement *st)
{
	return stmt_declares_device(st);
}

void hw_machine_free(struct hw_machine *m)
{
	if (!m)
		return;
	for (guint i = 0; i < m->devs->len; i++) {
		struct hw_dev *d = m->devs->pdata[i];

		g_free(d->name);
		g_free(d->path);
		g_free(d->qemu_model);
		g_free(d->qemu_id);
		g_free(d->boot_driver);
		g_free(d);
	}
	g_ptr_array_free(m->devs, TRUE);
	g_ptr_array_free(m->qemu_args, TRUE);
	g_free(m->qemu_machine);
	g_free(m->iommu);
	g_string_free(m->cmdline, TRUE);
	g_hash_table_destroy(m->managed);
	g_free(m->kconfig);
	g_free(m->mem);
	g_free(m->key);
	g_free(m->why_not);
	if (m->why_all)
		g_string_free(m->why_all, TRUE);
	g_free(m);
}

/*
 * The IOMMU comes first: QEMU gives a PCI device its DMA address space when
 * the device is realized (pci_device_iommu_address_space), so a device
 * realized before amd-iommu is not translated (no matter for groups and
 * ownership, which follow the IVRS table; it would for DMA).
 */
GPtrArray *hw_machine_argv(const struct hw_machine *m)
{
	GPtrArray *argv = g_ptr_array_new_with_free_func(g_free);

	g_ptr_array_add(argv, g_strdup("-machine"));
	g_ptr_array_add(argv, g_strdup(m->qemu_machine));
	if (m->arch == HW_ARCH_AARCH64) {
		g_ptr_array_add(argv, g_strdup("-cpu"));
		g_ptr_array_add(argv, g_strdup("max"));
	}
	if (m->iommu && !m->iommu_last) {
		g_ptr_array_add(argv, g_strdup("-device"));
		g_ptr_array_add(argv, g_strdup(m->iommu));
	}
	for (guint i = 0; i < m->qemu_args->len; i++)
		g_ptr_array_add(argv, g_strdup(m->qemu_args->pdata[i]));
	if (m->iommu && m->iommu_last) {
		g_ptr_array_add(argv, g_strdup("-device"));
		g_ptr_array_add(argv, g_strdup(m->iommu));
	}
	return argv;
}

const struct hw_dev *hw_machine_dev(const struct hw_machine *m,
				    const char *name)
{
	for (guint i = 0; name && i < m->devs->len; i++) {
		const struct hw_dev *d = m->devs->pdata[i];

		if (!g_strcmp0(d->name, name))
			return d;
	}
	return NULL;
}

/*
 * A real driver when the guest's device is the one it drives (e1000 on
 * e1000, e1000e on e1000e, vfio-pci, pci-stub, pcieport); otherwise our
 * stand-ins from hw/kmod/iommusim_test.c with the same driver_managed_dma.
 */
const char *hw_guest_driver(const struct hw_machine *m, const char *dev,
			    const char *drv)
{
	static const char *const always_real[] = { "vfio-pci", "pci-stub",
						   "pcieport", NULL };
	const struct hw_dev *d = hw_machine_dev(m, dev);
	gpointer managed;

	if (!drv || !strcmp(drv, "none"))
		return "none";
	if (g_strv_contains(always_real, drv))
		return drv;
	/* the aarch64 guest's kernel has no networking (hw/kernel/
	 * arm64.config): its e1000/e1000e are played by the stand-ins */
	if (d && !g_strcmp0(d->qemu_model, drv) && m->arch == HW_ARCH_X86_64)
		return drv;
	if (g_hash_table_lookup_extended(m->managed, drv, NULL, &managed) &&
	    GPOINTER_TO_INT(managed))
		return "iommusim-managed";
	return "iommusim-dma";
}
