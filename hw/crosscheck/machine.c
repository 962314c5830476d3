// SPDX-License-Identifier: MIT
/*
 * machine.c - a scenario's topology statements as a q35 QEMU machine.
 *
 * Each statement maps onto one QEMU device (docs/crosscheck.md has the
 * table and what the guest showed):
 *   iommu driver=amd-vi          -device amd-iommu (its own PCI function
 *                                takes the first free slot on bus 0: 01.0,
 *                                and has no iommu group)
 *   iommu driver=intel-vtd       -device intel-iommu,intremap=on, with
 *                                kernel-irqchip=split; caching-mode=on
 *                                unless np_cache=0
 *   pcie_root_port               pcie-root-port (acs=0: disable-acs=on)
 *   pcie_switch_upstream         x3130-upstream
 *   pcie_switch_downstream       xio3130-downstream (QEMU 7.2: no ACS)
 *   pcie_pci_bridge              pcie-pci-bridge
 *   pci_bridge                   pci-bridge
 *   pci_device pcie=1 / pcie=0   e1000e / e1000 (no endpoint has ACS); at
 *                                00.0, 1f.0, 1f.2, 1f.3 q35's own devices
 * What QEMU cannot build (platform devices, DMA alias quirks, ACS on an
 * endpoint or a switch port, capability overrides...) makes the scenario
 * not guest-runnable, with the reason.
 */
#include <string.h>

#include "hw.h"

/* The model's defaults: sim/setup.c set_pci_attrs() */
#define DEFAULT_ACS 0

static const char *arg_text(const struct statement *st, const char *key)
{
	const struct arg *a = stmt_arg(st, key);

	return a ? a->val.text : NULL;
}

static long arg_long(const struct statement *st, const char *key, long def)
{
	const struct arg *a = stmt_arg(st, key);

	if (!a)
		return def;
	return a->val.kind == VAL_NUMBER ? (long)a->val.num
					 : strtol(a->val.text, NULL, 0);
}

static void why_not(struct hw_machine *m, const struct statement *st,
		    const char *fmt, const char *what)
{
	g_autofree char *msg = NULL;

	if (m->why_not)
		return;
	msg = g_strdup_printf(fmt, what);
	m->why_not =
		g_strdup_printf("line %d: %s: %s", st->line, st->verb, msg);
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

/* The model's default (model/core/device.c): both x86 IOMMUs cache
 * non-present entries, as QEMU's do when asked. */
#define DEFAULT_NP_CACHE 1

static void setup_iommu(struct hw_machine *m, const struct statement *st,
			bool *have_iommu)
{
	static const char *const allowed[] = { "name", "driver", "np_cache",
					       NULL };
	const char *drv = arg_text(st, "driver");
	bool np_cache = arg_long(st, "np_cache", DEFAULT_NP_CACHE);

	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];

		if (!g_strv_contains(allowed, a->key))
			why_not(m, st,
				"%s: QEMU's IOMMUs have fixed capabilities",
				a->key);
	}
	if (*have_iommu)
		why_not(m, st, "%s", "q35 has room for one IOMMU");
	*have_iommu = true;
	if (!g_strcmp0(drv, "amd-vi")) {
		/* QEMU's AMD-Vi always reports NpCache (amd/init.c then calls
		 * iommu_set_dma_strict()); 7.3 leaves interrupt remapping off
		 * on q35 (no IOAPIC at 00:14.0), so iommufd and type1 need the
		 * unsafe-interrupts parameters to bind */
		if (!np_cache)
			why_not(m, st, "%s", "QEMU's amd-iommu has NpCache");
		m->iommu = g_strdup("amd-iommu");
		g_string_append(m->cmdline, " iommufd.allow_unsafe_interrupts=1"
					    " vfio_iommu_type1."
					    "allow_unsafe_interrupts=1");
	} else if (!g_strcmp0(drv, "intel-vtd")) {
		/* caching mode is VT-d's np_cache (intel/iommu.c forces strict
		 * on it); interrupt remapping needs the split irqchip */
		m->iommu = g_strdup_printf("intel-iommu,intremap=on%s",
					   np_cache ? ",caching-mode=on" : "");
		g_free(m->qemu_machine);
		m->qemu_machine = g_strdup("q35,kernel-irqchip=split");
	} else {
		why_not(m, st, "driver=%s has no QEMU x86 model", drv);
	}
}

static struct hw_dev *parent_of(struct hw_machine *m,
				const struct statement *st)
{
	const char *pname = arg_text(st, "parent");
	struct hw_dev *parent;

	if (!pname)
		return NULL;
	parent = (struct hw_dev *)hw_machine_dev(m, pname);
	if (!parent)
		why_not(m, st, "unknown parent %s", pname);
	return parent;
}

/* The QEMU device and its own properties for one PCI statement. */
static char *qemu_device(struct hw_machine *m, const struct statement *st,
			 struct hw_dev *d, const struct hw_dev *parent,
			 int chassis)
{
	bool acs = arg_long(st, "acs", DEFAULT_ACS);
	bool pcie = arg_long(st, "pcie", strcmp(st->verb, "pci_bridge") != 0);
	bool on_conv = parent && parent->conventional_bus;

	if (!strcmp(st->verb, "pcie_root_port")) {
		d->qemu_model = g_strdup("pcie-root-port");
		d->boot_driver = g_strdup("pcieport");
		return g_strdup_printf("pcie-root-port,chassis=%d,slot=%d%s",
				       chassis, chassis,
				       acs ? "" : ",disable-acs=on");
	}
	if (!strcmp(st->verb, "pcie_switch_upstream")) {
		d->qemu_model = g_strdup("x3130-upstream");
		d->boot_driver = g_strdup("pcieport");
		return g_strdup(d->qemu_model);
	}
	if (!strcmp(st->verb, "pcie_switch_downstream")) {
		if (acs)
			why_not(m, st, "%s",
				"QEMU 7.2's xio3130-downstream has no ACS");
		d->qemu_model = g_strdup("xio3130-downstream");
		d->boot_driver = g_strdup("pcieport");
		return g_strdup_printf("xio3130-downstream,chassis=%d,slot=%d",
				       chassis, chassis);
	}
	if (!strcmp(st->verb, "pcie_pci_bridge")) {
		d->qemu_model = g_strdup("pcie-pci-bridge");
		d->conventional_bus = true;
		return g_strdup(d->qemu_model);
	}
	if (!strcmp(st->verb, "pci_bridge")) {
		if (pcie)
			why_not(m, st, "%s",
				"QEMU's pci-bridge is conventional");
		d->qemu_model = g_strdup("pci-bridge");
		d->conventional_bus = true;
		return g_strdup_printf("pci-bridge,chassis_nr=%d", chassis);
	}
	/* pci_device: endpoints never isolate by ACS unless multifunction
	 * (pci.c: pci_acs_enabled), and no QEMU endpoint has the capability */
	if (acs && arg_long(st, "multifunction", 0))
		why_not(m, st, "%s", "no QEMU endpoint has an ACS capability");
	if (pcie && on_conv)
		why_not(m, st, "%s", "a PCIe endpoint on a conventional bus");
	/* model=edu: QEMU's edu, the device that does the scenario's DMA
	 * (hw/kmod/iommusim_test.c op_dma); conventional PCI, all 64
	 * address bits (its default mask is 28) */
	if (!g_strcmp0(arg_text(st, "model"), "edu")) {
		d->qemu_model = g_strdup("edu");
		return g_strdup("edu,dma_mask=0xffffffffffffffff");
	}
	d->qemu_model = g_strdup(pcie ? "e1000e" : "e1000");
	return g_strdup_printf("%s,romfile=", d->qemu_model);
}

static void check_unsupported_keys(struct hw_machine *m,
				   const struct statement *st)
{
	static const char *const no_qemu[] = { "dma_alias", "untrusted",
					       "require_direct",
					       "def_domain_type", NULL };

	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];

		if (g_strv_contains(no_qemu, a->key) &&
		    (a->val.kind != VAL_NUMBER || a->val.num))
			why_not(m, st, "%s: no QEMU equivalent", a->key);
	}
}

/*
 * Bus 0 functions that q35 itself has: the host bridge (00.0, single
 * function) and ICH9's LPC, AHCI and SMBus (1f.0, 1f.2, 1f.3, one
 * multifunction slot), all conventional PCI. A scenario device there that
 * looks the same is played by the built-in one; anything else cannot be.
 */
static bool q35_builtin(struct hw_machine *m, const struct statement *st,
			const char *addr)
{
	static const char *const ich9[] = { "1f.0", "1f.2", "1f.3", NULL };
	bool conventional = !arg_long(st, "pcie", 1);
	bool mf = arg_long(st, "multifunction", 0);

	if (strcmp(st->verb, "pci_device") ||
	    (strcmp(addr, "00.0") && !g_strv_contains(ich9, addr))) {
		if (!strncmp(addr, "00.", 3) || !strncmp(addr, "1f.", 3))
			why_not(m, st, "addr=%s is q35's own", addr);
		return false;
	}
	if (!conventional || mf != (addr[0] == '1'))
		why_not(m, st, "addr=%s is q35's own, with other properties",
			addr);
	return true;
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
			  struct hw_dev *d)
{
	const struct hw_dev *old = dev_at(m, d->path);

	d->hotplug = true;
	if (!old)
		return false;
	if (strcmp(st->verb, "pci_device") || strcmp(old->verb, st->verb) ||
	    arg_long(st, "pcie", 1) != !!strcmp(old->qemu_model, "e1000"))
		why_not(m, st, "%s", "a different device where one was");
	d->qemu_model = g_strdup(old->qemu_model);
	d->qemu_id = g_strdup(old->qemu_id);
	d->replug = true;
	return true;
}

static void setup_pci(struct hw_machine *m, const struct statement *st,
		      int chassis, bool booted)
{
	struct hw_dev *d = g_new0(struct hw_dev, 1);
	struct hw_dev *parent = parent_of(m, st);
	const char *addr = arg_text(st, "addr");
	const char *drv = arg_text(st, "driver");
	char *dev;

	if (!addr)
		addr = "00.0";
	d->name = g_strdup(arg_text(st, "name"));
	d->verb = g_strdup(st->verb);
	d->multifunction = arg_long(st, "multifunction", 0);
	d->path = parent ? g_strdup_printf("%s/%s", parent->path, addr)
			 : g_strdup(addr);
	check_unsupported_keys(m, st);
	if (booted && setup_hotplug(m, st, d)) {
		g_ptr_array_add(m->devs, d);
		return;
	}
	if (booted && (drv || strcmp(st->verb, "pci_device")))
		why_not(m, st, "%s", "hotplug of a bridge or with a driver");
	d->qemu_id = g_strdup_printf("b%d", chassis);
	g_ptr_array_add(m->devs, d);
	if (!parent && q35_builtin(m, st, addr)) {
		d->qemu_model = g_strdup("q35-builtin");
		return;
	}
	/* amd-iommu's own function takes the first free slot when it is
	 * realized: after the devices when a scenario wants 01.x */
	if (!parent && !strncmp(addr, "01.", 3))
		m->iommu_last = true;
	dev = qemu_device(m, st, d, parent, chassis);
	if (drv) {
		g_free(d->boot_driver);
		d->boot_driver = g_strdup(hw_guest_driver(m, d->name, drv));
	}
	add_arg(m, "-device");
	add_arg(m, "%s,id=%s,bus=%s,addr=%s%s", dev, d->qemu_id,
		parent ? parent->qemu_id : "pcie.0", addr,
		arg_long(st, "multifunction", 0) ? ",multifunction=on" : "");
	g_free(dev);
}

/*
 * drivers/pci/probe.c pci_scan_slot() looks past function 0 only when it
 * is multifunction (QEMU refuses the machine otherwise): a function > 0
 * needs a function 0 with multifunction=1 in the scenario.
 */
static void check_functions(struct hw_machine *m)
{
	for (guint i = 0; i < m->devs->len && !m->why_not; i++) {
		const struct hw_dev *d = m->devs->pdata[i];
		size_t n = strlen(d->path);
		bool ok = false;

		if (d->path[n - 1] == '0')
			continue;
		for (guint j = 0; j < m->devs->len; j++) {
			const struct hw_dev *e = m->devs->pdata[j];

			if (!strncmp(e->path, d->path, n - 1) &&
			    e->path[n - 1] == '0' && !e->path[n])
				ok = e->multifunction;
		}
		if (!ok)
			m->why_not = g_strdup_printf(
				"%s: function %s needs a function 0 with "
				"multifunction=1 (pci_scan_slot)",
				d->name, d->path);
	}
}

static void setup_scenario(struct hw_machine *m, const struct statement *st)
{
	const struct arg *profiles = stmt_arg(st, "profiles");
	const char *guest = arg_text(st, "guest");
	bool linux73 = !profiles;

	if (profiles && profiles->val.kind == VAL_LIST) {
		for (guint i = 0; i < profiles->val.items->len; i++) {
			const struct value *v = profiles->val.items->pdata[i];

			linux73 |= !g_strcmp0(v->text, "linux-7.3");
		}
	} else if (profiles) {
		linux73 = !g_strcmp0(profiles->val.text, "linux-7.3");
	}
	if (!g_strcmp0(guest, "no"))
		why_not(m, st, "guest=no: %s",
			arg_text(st, "why") ? arg_text(st, "why") : "(no why)");
	if (!linux73)
		why_not(m, st, "%s", "no linux-7.3 profile");
}

static void setup_config(struct hw_machine *m, const struct statement *st)
{
	if (!strcmp(st->verb, "kconfig")) {
		const char *def = arg_text(st, "IOMMU_DEFAULT");

		if (def && strcmp(def, "lazy"))
			m->kconfig =
				g_strdup_printf("iommu-default-%s.config", def);
		return;
	}
	for (guint i = 0; i < st->args->len; i++) {
		const struct arg *a = st->args->pdata[i];

		g_string_append_printf(m->cmdline, " %s=%s", a->key,
				       a->val.text);
	}
}

/*
 * The physical memory a DMA scenario names (memory_write, check_memory,
 * iommu_map's paddr ranges) is RAM the guest kernel must not use:
 * memmap=SIZE$ADDR reserves it (arch/x86/kernel/e820.c), and the guest
 * gets enough RAM to hold it (q35 keeps up to 2 GiB below 4 GiB).
 */
static void setup_memory(struct hw_machine *m, const struct scenario *sc)
{
	guint64 top = 0;
	bool dma = false;

	for (guint i = 0; i < sc->stmts->len; i++)
		dma |= !strcmp(
			((const struct statement *)sc->stmts->pdata[i])->verb,
			"dma");
	for (guint i = 0; dma && i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];
		guint64 pa = arg_long(st, "paddr", 0);
		guint64 len = arg_long(
			st, strcmp(st->verb, "iommu_map") ? "len" : "size", 0);
		guint64 start = pa & ~0xfffULL,
			end = (pa + len + 0xfff) & ~0xfffULL;

		if (!stmt_arg(st, "paddr") || !len ||
		    (strcmp(st->verb, "iommu_map") &&
		     strcmp(st->verb, "memory_write") &&
		     strcmp(st->verb, "check_memory")))
			continue;
		if (start < 0x100000 || end > 0x78000000ULL) {
			why_not(m, st,
				"paddr %s: not RAM the guest can set "
				"aside (1 MiB to 1.875 GiB)",
				arg_text(st, "paddr"));
			continue;
		}
		g_autofree char *r =
			g_strdup_printf(" memmap=0x%llx$0x%llx",
					(unsigned long long)(end - start),
					(unsigned long long)start);

		if (!strstr(m->cmdline->str, r))
			g_string_append(m->cmdline, r);
		top = MAX(top, end);
	}
	if (top + 0x10000000ULL > 0x20000000ULL)
		m->mem = g_strdup_printf(
			"%lluM", (unsigned long long)((top + 0x10000000ULL +
						       0xfffffffULL) >>
						      28) *
					 256);
}

static void machine_key(struct hw_machine *m)
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
	m->key = g_strndup(g_checksum_get_string(ck), 16);
	g_checksum_free(ck);
}

bool stmt_is_device(const struct statement *st)
{
	static const char *const verbs[] = {
		"pci_device",		"pcie_root_port",
		"pcie_switch_upstream", "pcie_switch_downstream",
		"pcie_pci_bridge",	"pci_bridge",
		"platform_device",	NULL
	};

	return g_strv_contains(verbs, st->verb);
}

struct hw_machine *hw_machine_new(const struct scenario *sc)
{
	struct hw_machine *m = g_new0(struct hw_machine, 1);
	bool have_iommu = false, booted = false;
	int chassis = 0;

	m->devs = g_ptr_array_new();
	m->qemu_machine = g_strdup("q35");
	m->qemu_args = g_ptr_array_new_with_free_func(g_free);
	m->cmdline = g_string_new("");
	m->managed =
		g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	for (guint i = 0; i < sc->stmts->len; i++) {
		const struct statement *st = sc->stmts->pdata[i];

		if (!strcmp(st->verb, "boot")) {
			booted = true;
			continue;
		}
		if (booted && !stmt_is_device(st))
			continue; /* operations: program.c */
		if (!strcmp(st->verb, "scenario"))
			setup_scenario(m, st);
		else if (!strcmp(st->verb, "cmdline") ||
			 !strcmp(st->verb, "kconfig"))
			setup_config(m, st);
		else if (!strcmp(st->verb, "iommu"))
			setup_iommu(m, st, &have_iommu);
		else if (!strcmp(st->verb, "driver"))
			g_hash_table_insert(
				m->managed, g_strdup(arg_text(st, "name")),
				GINT_TO_POINTER(
					arg_long(st, "driver_managed_dma", 0)));
		else if (!strcmp(st->verb, "platform_device"))
			why_not(m, st, "%s",
				"q35 has no platform IOMMU clients");
		else
			setup_pci(m, st, ++chassis, booted);
	}
	check_functions(m);
	setup_memory(m, sc);
	machine_key(m);
	return m;
}

void hw_machine_free(struct hw_machine *m)
{
	if (!m)
		return;
	for (guint i = 0; i < m->devs->len; i++) {
		struct hw_dev *d = m->devs->pdata[i];

		g_free(d->name);
		g_free(d->verb);
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
	if (d && !g_strcmp0(d->qemu_model, drv))
		return drv;
	if (g_hash_table_lookup_extended(m->managed, drv, NULL, &managed) &&
	    GPOINTER_TO_INT(managed))
		return "iommusim-managed";
	return "iommusim-dma";
}
