// SPDX-License-Identifier: MIT
/*
 * validate_names.c - the names and addresses a file declares, as the
 * static checks read it: devices, IOMMUs and drivers declared once each,
 * a PCI address taken once on its bus, a bus number per bridge, the
 * names device_del frees (nameable again only by a new declaration), and
 * the PCI functions no scan found (nameable only once one does).
 */
#include "validate_priv.h"
#include "verbs.h"

/* A declaration that is neither a PCI endpoint nor a platform device
 * is a bridge or port: it has a secondary bus. */
bool is_bridge(const struct op *declared_by)
{
	return declared_by->dev_kind != DEV_PCI &&
	       declared_by->dev_kind != DEV_PLATFORM;
}

/* A PCI function as the scan checks see it: where it sits */
struct vfunc {
	char *name;
	char *parent; /* "" on the root bus */
	char *fn0;    /* its slot's function 0: "parent/DD.0" */
	bool past_0;  /* a function past 0 */
	/* in a slot past 0 of a PCIe link (a root or downstream port's
	 * bus), which the scan never looks at: only_one_child() */
	bool off_link;
};

static void vfunc_free(gpointer p)
{
	struct vfunc *f = p;

	g_free(f->name);
	g_free(f->parent);
	g_free(f->fn0);
	g_free(f);
}

GPtrArray *vfuncs_new(void)
{
	return g_ptr_array_new_with_free_func(vfunc_free);
}

/*
 * Whether a PCI scan finds @f now, as model/core/pci_probe.c decides it
 * (drivers/pci/probe.c pci_scan_slot(), next_fn()): its bus is scanned
 * (its bridge was found), its slot is (slot 00 only on a PCIe link,
 * only_one_child()), and it is function 0, or the slot's function 0 is
 * there and multifunction.
 */
static bool scan_finds(struct vstate *vs, const struct vfunc *f)
{
	if (f->off_link ||
	    (*f->parent && g_hash_table_contains(vs->unfound, f->parent)))
		return false;
	return !f->past_0 || (g_hash_table_contains(vs->addrs, f->fn0) &&
			      g_hash_table_contains(vs->mf_addrs, f->fn0));
}

/* Every function not found yet that a scan finds now (behind a bridge
 * just found, or beside a multifunction function 0 just added), until
 * none is left: a later one's bridge may be an earlier one. */
static void scan_all(struct vstate *vs)
{
	for (bool more = true; more;) {
		more = false;
		for (guint i = 0; i < vs->functions->len; i++) {
			const struct vfunc *f = vs->functions->pdata[i];

			if (g_hash_table_contains(vs->unfound, f->name) &&
			    scan_finds(vs, f))
				more = g_hash_table_remove(vs->unfound,
							   f->name);
		}
	}
}

/* Whether the bridge @parent's bus is a PCIe link, which
 * drivers/pci/probe.c only_one_child() scans for device 0 only
 * (model/core/pci_probe.c pci_only_one_child()) */
static bool only_one_child(struct vstate *vs, const char *parent)
{
	const struct op *row = g_hash_table_lookup(vs->devices, parent);

	return row && pci_only_one_child(row->dev_kind);
}

/* A PCI function declared: at boot the scan looks at every one (in
 * declaration order, bridges before what sits behind them); after boot
 * a rescan looks at this one's slot. */
static void declare_function(struct vstate *vs, const struct statement *st,
			     const struct op *v)
{
	const char *addr = arg_str(st, "addr", "00.0");
	struct vfunc *f = g_new0(struct vfunc, 1);

	if (v->dev_kind == DEV_PLATFORM) {
		g_free(f);
		return;
	}
	f->name = g_strdup(arg_str(st, "name", ""));
	f->parent = g_strdup(arg_str(st, "parent", ""));
	f->fn0 = g_strdup_printf("%s/%.3s0", f->parent, addr);
	f->past_0 = addr[3] != '0';
	f->off_link = strncmp(addr, "00.", 3) && only_one_child(vs, f->parent);
	/* a name device_del freed is a new device's now */
	for (guint i = vs->functions->len; i--;) {
		if (!strcmp(((struct vfunc *)vs->functions->pdata[i])->name,
			    f->name))
			g_ptr_array_remove_index(vs->functions, i);
	}
	g_ptr_array_add(vs->functions, f);
	if (arg_num(st, "multifunction", 0))
		g_hash_table_add(vs->mf_addrs,
				 g_strdup_printf("%s/%s", f->parent, addr));
	g_hash_table_add(vs->unfound, g_strdup(f->name));
	if (vs->booted)
		scan_all(vs);
}

#define SCAN_SLOT " (drivers/pci/probe.c pci_scan_slot(), next_fn())"

/* Why no scan found @f, for the error: its link, its bridge, or its
 * slot */
static char *not_found_why(struct vstate *vs, const struct vfunc *f)
{
	if (f->off_link)
		return g_strdup_printf("it is in slot %.2s of the PCIe link "
				       "below '%s', where the scan looks at "
				       "slot 00 only (drivers/pci/probe.c "
				       "pci_scan_slot(), only_one_child())",
				       f->fn0 + strlen(f->parent) + 1,
				       f->parent);
	if (*f->parent && g_hash_table_contains(vs->unfound, f->parent))
		return g_strdup_printf("it sits behind '%s', which no scan "
				       "found either%s",
				       f->parent, SCAN_SLOT);
	if (g_hash_table_contains(vs->addrs, f->fn0))
		return g_strdup_printf("it is a function past 0 and its "
				       "slot's function 0 (%s) is not "
				       "multifunction=1%s",
				       f->fn0, SCAN_SLOT);
	return g_strdup_printf("it is a function past 0 and its slot's "
			       "function 0 (%s) is absent: a multifunction "
			       "one added later finds it%s",
			       f->fn0, SCAN_SLOT);
}

/* An operation cannot name a PCI function no scan found: Linux has no
 * pci_dev for it (no sysfs entry, nothing to open); a check still can */
static bool check_found(struct vstate *vs, const struct arg *a)
{
	g_autofree char *why = NULL;

	if (!vs->booted || !g_hash_table_contains(vs->unfound, a->val.text))
		return true;
	for (guint i = 0; i < vs->functions->len && !why; i++) {
		const struct vfunc *f = vs->functions->pdata[i];

		if (!strcmp(f->name, a->val.text))
			why = not_found_why(vs, f);
	}
	return verr(vs, a->val.line, a->val.col,
		    "expected a device Linux found: no PCI scan found '%s': "
		    "%s",
		    a->val.text, why);
}

/* An operation cannot name a device device_del removed (pci_stop_and_
 * remove_bus_device(): its sysfs entries and the struct are gone, nothing
 * finds it) until a hotplug declares the name again; a check still can
 * (what the model keeps of it: no group, no driver). */
bool check_not_removed(struct vstate *vs, const struct statement *st,
		       const struct op *v, const struct arg *a,
		       const struct arg_spec *spec)
{
	gpointer line;

	if (v->cls != STEP_OP || spec->type != T_DEV ||
	    a->val.kind != VAL_IDENT)
		return true;
	if (!g_hash_table_lookup_extended(vs->removed, a->val.text, NULL,
					  &line))
		return check_found(vs, a);
	return verr(vs, a->val.line, a->val.col,
		    "expected a device that exists: '%s' was removed at "
		    "line %d (device_del); declare it again (hotplug) to "
		    "name it",
		    a->val.text, GPOINTER_TO_INT(line));
}

static bool declare(struct vstate *vs, const struct statement *st,
		    GHashTable *set, const char *what, const char *def)
{
	const struct arg *a = stmt_arg(st, "name");
	const char *name = a ? a->val.text : def;

	if (g_hash_table_contains(set, name))
		return verr(vs, st->line, a ? a->val.col : st->col,
			    "%s '%s' is declared twice", what, name);
	g_hash_table_insert(set, g_strdup(name), (gpointer)op_find(st->verb));
	return true;
}

/* A PCI device's address is taken on its parent's bus. */
static bool take_address(struct vstate *vs, const struct statement *st)
{
	const struct arg *addr = stmt_arg(st, "addr");
	char *key;

	if (!addr)
		return true;
	key = g_strdup_printf("%s/%s", arg_str(st, "parent", ""),
			      addr->val.text);
	/* a removal that waited or stated no outcome may have freed it:
	 * the run refuses the hotplug if it did not */
	if (g_hash_table_remove(vs->pending_addrs, key)) {
		g_hash_table_insert(vs->dev_addr,
				    g_strdup(arg_str(st, "name", "")), key);
		return true;
	}
	if (g_hash_table_contains(vs->addrs, key)) {
		g_free(key);
		return verr(vs, st->line, addr->val.col,
			    "address %s is taken on that bus", addr->val.text);
	}
	g_hash_table_add(vs->addrs, key);
	g_hash_table_insert(vs->dev_addr, g_strdup(arg_str(st, "name", "")),
			    g_strdup(key));
	return true;
}

/*
 * Every bridge takes a bus number for its secondary bus (model/core/
 * probe.c pci_assign_busses(), as firmware numbers them), and a PCI
 * segment has 256 (bus 0 the root bus; drivers/pci/probe.c clamps at
 * get_pci_domain_busn_res(): 0 to 0xff): a topology needing a 256th bridge cannot exist.
 */
static bool take_bus(struct vstate *vs, const struct statement *st,
		     const struct op *v)
{
	if (!is_bridge(v) || ++vs->bridges <= 255)
		return true;
	vs->bridges--;
	return verr(vs, st->line, st->col,
		    "a PCI segment has 256 bus numbers: bus 0 and one for "
		    "each of 255 bridges; this is bridge 256");
}

/* A removal the file states ok removed the device; one that waits or
 * states nothing may have by a later step, so its address is pending
 * (vstate.pending_addrs); one that failed removed nothing. */
static bool removal_done(struct vstate *vs, const struct statement *st)
{
	const struct outcome *o = stmt_expect(st, vs->profile->name);
	const char *key =
		g_hash_table_lookup(vs->dev_addr, arg_str(st, "dev", ""));

	if ((!o || o->kind == OUT_BLOCKS) && key)
		g_hash_table_add(vs->pending_addrs, g_strdup(key));
	return o && o->kind == OUT_OK;
}

/* The statement's T_NAME argument declares a device, iommu or driver. */
bool check_declarations(struct vstate *vs, const struct statement *st,
			const struct op *v)
{
	const struct arg_spec *name = op_arg(v, "name");

	/* a device_del that waits (a vfio-pci file of the device open) has
	 * not removed it yet: it stays nameable, and whether it is gone
	 * later depends on the run (the explorer checks its statements
	 * against the state, args.c stmt_names_removed()); so does one
	 * whose outcome the file does not state; one that failed (ENOENT:
	 * its sysfs remove already gone) removed nothing */
	if (v->removes_dev && !removal_done(vs, st))
		return true;
	if (v->removes_dev) {
		const char *key = g_hash_table_lookup(vs->dev_addr,
						      arg_str(st, "dev", ""));
		const struct op *row = g_hash_table_lookup(
			vs->devices, arg_str(st, "dev", ""));

		if (key) {
			g_hash_table_remove(vs->addrs, key);
			g_hash_table_remove(vs->mf_addrs, key);
		}
		if (row && is_bridge(row) && vs->bridges)
			vs->bridges--;
		g_hash_table_insert(vs->removed,
				    g_strdup(arg_str(st, "dev", "")),
				    GINT_TO_POINTER(st->line));
		return true;
	}
	if (v->boots)
		scan_all(vs); /* the boot's scan */
	if (!name || name->type != T_NAME)
		return true;
	switch (name->ns) {
	case NS_IOMMU:
		if (!declare(vs, st, vs->iommus, "iommu", "iommu0"))
			return false;
		g_hash_table_insert(vs->iommu_driver,
				    g_strdup(arg_str(st, "name", "iommu0")),
				    (gpointer)arg_str(st, "driver", "generic"));
		if (!vs->first_iommu)
			vs->first_iommu = arg_str(st, "name", "iommu0");
		return true;
	case NS_DRIVER:
		return declare(vs, st, vs->drivers, "driver", "");
	case NS_DEVICE:
		/* a deleted device's name is free: a later declaration is
		 * a new device (another card hotplugged), which dev= names
		 * from then on (model/core/device.c device_find()) */
		if (g_hash_table_remove(vs->removed, arg_str(st, "name", "")))
			g_hash_table_remove(vs->devices,
					    arg_str(st, "name", ""));
		if (!take_address(vs, st) || !take_bus(vs, st, v) ||
		    !declare(vs, st, vs->devices, "device", ""))
			return false;
		declare_function(vs, st, v);
		return true;
	case NS_NONE:
		break;
	}
	return true;
}
