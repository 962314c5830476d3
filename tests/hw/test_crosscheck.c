// SPDX-License-Identifier: MIT
/*
 * test_crosscheck.c - hw/'s host side without a guest: a scenario's
 * machine as QEMU arguments, its operations as a guest program, the
 * agent's answers parsed and compared with the model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "hw/crosscheck/hw.h"

struct fx {
	struct scenario *sc;
	struct hw_machine *m;
};

/* @text's machine; *rr (when not NULL) the model's run of it */
static struct fx *load_run(void **state, const char *text,
			   struct run_result **rr)
{
	struct fx *f = calloc(1, sizeof(*f));
	GError *err = NULL;

	f->sc = scenario_parse("test.scn", text, &err);
	assert_non_null(f->sc);
	f->m = hw_machine_new(f->sc, &hw_qemu_10, rr, &err);
	assert_non_null(f->m);
	*state = f;
	return f;
}

static struct fx *load(void **state, const char *text)
{
	return load_run(state, text, NULL);
}

/* @f's guest program, given the names the model's run @rr bound */
static char *program_as_run(struct fx *f, struct run_result *rr,
			    struct hw_names *names)
{
	char *why = NULL, *prog;

	hw_names_from_run(names, rr);
	prog = hw_program_new(f->sc, f->m, names, &why);
	assert_null(why);
	return prog;
}

/* the value step @i of @rr put in its first out field */
static guint64 first_out(const struct run_result *rr, guint i)
{
	const struct step_result *sr = rr->steps->pdata[i];

	return g_array_index(sr->outs, struct step_out, 0).value;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	if (f) {
		hw_machine_free(f->m);
		scenario_free(f->sc);
		free(f);
	}
	return 0;
}

static char *argv_str(const struct hw_machine *m)
{
	GPtrArray *argv = hw_machine_argv(m);
	char *s;

	g_ptr_array_add(argv, NULL);
	s = g_strjoinv(" ", (char **)argv->pdata);
	g_ptr_array_unref(argv);
	return s;
}

static const char switch_machine[] =
	"iommu driver=amd-vi\n"
	"pcie_root_port name=rp0 addr=1c.0 acs=1\n"
	"pcie_switch_upstream name=up addr=00.0 parent=rp0\n"
	"pcie_switch_downstream name=dn addr=00.0 parent=up\n"
	"pci_device name=nic addr=00.0 parent=dn\n"
	"boot\n";

/* Each port is a QEMU device on its parent's bus; the IOMMU comes first. */
static void switch_becomes_qemu_devices(void **state)
{
	struct fx *f = load(state, switch_machine);
	g_autofree char *argv = argv_str(f->m);

	assert_null(f->m->why_not);
	assert_string_equal(
		"-machine q35 -device amd-iommu,pt=off "
		"-device pcie-root-port,chassis=1,slot=1,id=b1,bus=pcie.0,"
		"addr=1c.0 "
		"-device x3130-upstream,id=b2,bus=b1,addr=00.0 "
		"-device xio3130-downstream,chassis=3,slot=3,id=b3,bus=b2,"
		"addr=00.0 "
		"-device e1000e,romfile=,id=b4,bus=b3,addr=00.0",
		argv);
	assert_string_equal("1c.0/00.0/00.0/00.0",
			    hw_machine_dev(f->m, "nic")->path);
	assert_string_equal("pcieport",
			    hw_machine_dev(f->m, "dn")->boot_driver);
}

static void root_port_without_acs_disables_it(void **state)
{
	struct fx *f = load(state, "iommu driver=intel-vtd np_cache=0\n"
				   "pcie_root_port name=rp addr=1c.0 acs=0\n"
				   "boot\n");
	g_autofree char *argv = argv_str(f->m);

	assert_non_null(strstr(argv, "-machine q35,kernel-irqchip=split "
				     "-device intel-iommu,intremap=on "));
	assert_non_null(strstr(argv, ",disable-acs=on,"));
}

static void downstream_port_with_acs_is_not_runnable(void **state)
{
	struct fx *f = load(
		state, "iommu driver=amd-vi\n"
		       "pcie_root_port name=rp0 addr=1c.0 acs=1\n"
		       "pcie_switch_upstream name=up addr=00.0 parent=rp0\n"
		       "pcie_switch_downstream name=dn addr=00.0 "
		       "parent=up acs=1\n"
		       "boot\n");

	assert_non_null(f->m->why_not);
	assert_non_null(strstr(f->m->why_not, "no ACS"));
}

/* ICH9's functions are q35's own: no -device for them */
static void ich9_functions_are_builtin(void **state)
{
	struct fx *f = load(
		state, "iommu driver=amd-vi\n"
		       "pci_device name=lpc addr=1f.0 pcie=0 multifunction=1\n"
		       "pci_device name=sata addr=1f.2 pcie=0 multifunction=1\n"
		       "boot\n");
	g_autofree char *argv = argv_str(f->m);

	assert_null(f->m->why_not);
	assert_string_equal("-machine q35 -device amd-iommu,pt=off", argv);
}

static void function_without_multifunction_zero_is_not_runnable(void **state)
{
	struct fx *f = load(state, "iommu driver=amd-vi\n"
				   "pcie_root_port name=rp0 addr=1c.0 acs=1\n"
				   "pcie_root_port name=rp1 addr=1c.1 acs=1\n"
				   "boot\n");

	assert_non_null(f->m->why_not);
	assert_non_null(strstr(f->m->why_not, "pci_scan_slot"));
}

/* a function past 0 whose function 0 the machine never has: QEMU builds
 * it, and neither the guest's scan nor the model's finds it */
static void function_without_function_0_is_runnable(void **state)
{
	struct fx *f = load(state, "iommu driver=amd-vi\n"
				   "boot\n"
				   "pci_device name=f1 addr=05.1\n");

	assert_null(f->m->why_not);
}

/* behind a bridge too: the agent's lookup of the missing function gives
 * no address (hw/agent/sysfs.c resolve()), not the bridge's */
static void function_without_function_0_behind_bridge_is_runnable(void **state)
{
	struct fx *f = load(state, "iommu driver=amd-vi\n"
				   "pcie_root_port name=rp0 addr=1c.0 acs=1\n"
				   "boot\n"
				   "pci_device name=f1 addr=00.1 parent=rp0\n");

	assert_null(f->m->why_not);
}

/* function 0 hot-added after function 1: the harness's QEMU machine has
 * it from boot, so the guest would find function 1 at its own step */
static void function_0_added_after_function_1_is_not_runnable(void **state)
{
	struct fx *f = load(state, "iommu driver=amd-vi\n"
				   "pcie_root_port name=rp0 addr=1c.0 acs=1\n"
				   "boot\n"
				   "pci_device name=f1 addr=00.1 parent=rp0\n"
				   "pci_device name=f0 addr=00.0 parent=rp0 "
				   "multifunction=1\n");

	assert_non_null(f->m->why_not);
	assert_non_null(strstr(f->m->why_not, "before its function 0"));
}

/* Drivers: the real one when the guest's device is its device, else our
 * stand-ins with the same driver_managed_dma. */
static void drivers_map_to_guest_drivers(void **state)
{
	struct fx *f = load(state, "iommu driver=amd-vi\n"
				   "driver name=mine driver_managed_dma=1\n"
				   "pci_device name=nic addr=02.0\n"
				   "pci_device name=old addr=03.0 pcie=0\n"
				   "boot\n");

	assert_string_equal("e1000e", hw_guest_driver(f->m, "nic", "e1000e"));
	assert_string_equal("iommusim-dma",
			    hw_guest_driver(f->m, "old", "e1000e"));
	assert_string_equal("e1000", hw_guest_driver(f->m, "old", "e1000"));
	assert_string_equal("vfio-pci",
			    hw_guest_driver(f->m, "nic", "vfio-pci"));
	assert_string_equal("iommusim-managed",
			    hw_guest_driver(f->m, "nic", "mine"));
	assert_string_equal("iommusim-dma",
			    hw_guest_driver(f->m, "nic", "nvme"));
}

/* Handles become table slots, cookies small integers; checks pass as they
 * are; "only" steps for other profiles are left out; a bind runs in a
 * task of the agent's own ("&": a wait is then seen, not a hang). */
static void program_translates_handles_and_cookies(void **state)
{
	struct fx *f =
		load(state, "iommu driver=amd-vi\n"
			    "pcie_root_port name=rp0 addr=1c.0 acs=1\n"
			    "pci_device name=nic addr=00.0 parent=rp0\n"
			    "driver name=mine\n"
			    "boot\n"
			    "iommu_group_claim_dma_owner dev=nic owner=vfio\n"
			    "iommu_paging_domain_alloc dev=nic out_domain=$d\n"
			    "iommu_attach_group domain=$d dev=nic\n"
			    "check_group dev=nic domain=$d only=rfc-2022-v1\n"
			    "driver_bind dev=nic driver=mine\n");
	struct hw_names names = { 0 };
	char *why = NULL;
	g_autofree char *prog = hw_program_new(f->sc, f->m, &names, &why);

	assert_null(why);
	assert_string_equal(
		"scenario test.scn\n"
		"device rp0 1c.0 pcieport\n"
		"device nic 1c.0/00.0 none\n"
		"begin\n"
		"step 6 iommu_group_claim_dma_owner dev=nic owner=1\n"
		"step 7 iommu_paging_domain_alloc dev=nic out_domain=d0\n"
		"step 8 iommu_attach_group domain=d0 dev=nic\n"
		"step 10 &driver_bind dev=nic driver=iommusim-dma\n"
		"end\n",
		prog);
	assert_false(hw_program_fresh(prog));
	hw_names_clear(&names);
}

/* Each slot prefix counts its own: however many other handles come first
 * (a random walk binds hundreds), the first domain is d0, within hw/kmod's
 * table of NR_DOMAINS. */
static void program_counts_slots_per_prefix(void **state)
{
	struct fx *f = load(
		state, "iommu driver=amd-vi\n"
		       "pci_device name=nic addr=02.0\n"
		       "boot\n"
		       "iommufd_open out_fd=$a\n"
		       "iommufd_open out_fd=$b\n"
		       "iommu_group_claim_dma_owner dev=nic owner=vfio\n"
		       "iommu_paging_domain_alloc dev=nic out_domain=$d\n"
		       "iommu_paging_domain_alloc dev=nic out_domain=$e\n");
	struct hw_names names = { 0 };
	char *why = NULL;
	g_autofree char *prog = hw_program_new(f->sc, f->m, &names, &why);

	assert_null(why);
	assert_non_null(strstr(prog, "out_fd=fd1\n"));
	assert_non_null(strstr(prog, "out_fd=fd2\n"));
	assert_non_null(strstr(prog, "out_domain=d0\n"));
	assert_non_null(strstr(prog, "out_domain=d1\n"));
	hw_names_clear(&names);
}

/* An fd handle where a number goes (id=) is the number the model's run
 * gave the fd, not the agent's own; where a file goes (close fd=) it stays
 * a slot, the agent's file. */
static void program_gives_an_fd_as_a_number_as_the_model_ran(void **state)
{
	struct run_result *rr = NULL;
	struct hw_names names = { 0 };
	struct fx *f = load_run(state,
				"iommu driver=amd-vi\n"
				"pci_device name=nic addr=02.0\n"
				"boot\n"
				"iommufd_open out_fd=$i\n"
				"memfd_create size=4K out_fd=$m\n"
				"IOMMU_DESTROY ictx=$i id=$m => ENOENT\n"
				"close fd=$m\n",
				&rr);
	char *prog = program_as_run(f, rr, &names);
	/* the memfd's number in the model: its step's out_fd */
	char *want = g_strdup_printf("IOMMU_DESTROY ictx=fd1 id=0x%llx\n",
				     (unsigned long long)first_out(rr, 4));

	assert_non_null(strstr(prog, want));
	assert_non_null(strstr(prog, "close_fd fd=mfd1\n"));
	g_free(want);
	g_free(prog);
	hw_names_clear(&names);
	run_result_free(rr);
}

/* Where an access op's id= names an fd (an access's, a memfd's) the guest
 * is given the agent's own file (its slot: the fd the agent bound), where
 * an object id goes the model's number, as for any fd; a user buffer's
 * memory_write and check_memory go through the buffer's VA */
static void program_gives_an_access_fd_as_the_agents_file(void **state)
{
	struct run_result *rr = NULL;
	struct hw_names names = { 0 };
	struct fx *f = load_run(
		state,
		"pci_device name=n addr=03.0\n"
		"boot\n"
		"iommufd_open out_fd=$i\n"
		"IOMMU_IOAS_ALLOC ictx=$i out_ioas_id=$ioas\n"
		"user_buffer size=0x2000 pa=0x40000000 out_va=$buf\n"
		"memory_write paddr=0x40001000 len=16 pattern=0x5a\n"
		"IOMMU_TEST_CMD ictx=$i op=CREATE_ACCESS id=$ioas "
		"out_access_fd=$a\n"
		"IOMMU_TEST_CMD ictx=$i op=ACCESS_RW id=$a iova=0 length=16 "
		"uptr=$buf flags=WRITE,SLOW_PATH => ENOENT\n"
		"check_memory paddr=0x40001000 len=16 pattern=0x5a\n"
		"memfd_create size=4K out_fd=$m\n"
		"IOMMU_TEST_CMD ictx=$i op=ACCESS_PAGES id=$m iova=0 "
		"length=0x1000 uptr=$buf => EBADFD\n"
		"IOMMU_DESTROY ictx=$i id=$a => ENOENT\n"
		"close fd=$a\n",
		&rr);
	char *prog = program_as_run(f, rr, &names);
	/* the access's number in the model: its step's out_access_fd */
	char *want = g_strdup_printf("IOMMU_DESTROY ictx=fd1 id=0x%llx\n",
				     (unsigned long long)first_out(rr, 6));

	assert_non_null(strstr(prog, want));
	assert_non_null(strstr(prog, "op=0x7 id=mfd1 "));
	g_free(want);
	assert_non_null(strstr(prog, "memory_write buf=va1 offset=0x1000 "
				     "len=0x10 pattern=0x5a\n"));
	assert_non_null(strstr(prog, "out_access_fd=afd1\n"));
	assert_non_null(strstr(prog, "op=0x8 id=afd1 "));
	assert_non_null(strstr(prog, "flags=0x5\n"));
	assert_non_null(strstr(prog, "check_memory buf=va1 offset=0x1000"));
	assert_non_null(strstr(prog, "close_fd fd=afd1\n"));
	g_free(prog);
	hw_names_clear(&names);
	run_result_free(rr);
}

/* The scenario has no guest program, for a reason that names @needle. */
static void assert_no_program(struct fx *f, const char *needle)
{
	struct hw_names names = { 0 };
	char *why = NULL;
	char *prog = hw_program_new(f->sc, f->m, &names, &why);

	assert_null(prog);
	assert_non_null(strstr(why, needle));
	g_free(why);
	hw_names_clear(&names);
}

static void verb_without_guest_equivalent_is_not_runnable(void **state)
{
	assert_no_program(load(state, "iommu driver=amd-vi\n"
				      "pci_device name=nic addr=02.0\n"
				      "boot\n"
				      "inject iommu=iommu0 fail=attach "
				      "count=1\n"),
			  "inject");
}

static void agent_output_parses(void **state)
{
	GHashTable *steps = hw_parse_output(
		"scenario x.scn\n"
		"map nic 0000:01:00.0\n"
		"step 4 -EPERM\n"
		"step 5 0 warn\n"
		"step 6 0 driver=none owner=1 devices=a,b value=\"DMA-FQ\"\n"
		"step 7 unsupported\n"
		"reset ok\n");
	struct hw_kstep *k;

	(void)state;
	k = g_hash_table_lookup(steps, GINT_TO_POINTER(4));
	assert_string_equal("-EPERM", k->ret);
	assert_false(k->warn);
	k = g_hash_table_lookup(steps, GINT_TO_POINTER(5));
	assert_string_equal("0", k->ret);
	assert_true(k->warn);
	k = g_hash_table_lookup(steps, GINT_TO_POINTER(6));
	assert_string_equal("a,b", g_hash_table_lookup(k->fields, "devices"));
	assert_string_equal("DMA-FQ", g_hash_table_lookup(k->fields, "value"));
	k = g_hash_table_lookup(steps, GINT_TO_POINTER(7));
	assert_null(k->ret);
	g_hash_table_destroy(steps);
}

/* run_step() prints "warn" after a verb's out fields: the WARN is kept
 * there too, and the fields before it still parse */
static void agent_warn_after_out_fields_is_kept(void **state)
{
	GHashTable *steps =
		hw_parse_output("step 8 0 out_size=0x1000 warn\n"
				"step 9 -ENOENT out_size=0x2000 warn\n"
				"step 10 0 out_size=0x3000\n");
	struct hw_kstep *k;

	(void)state;
	k = g_hash_table_lookup(steps, GINT_TO_POINTER(8));
	assert_true(k->warn);
	assert_string_equal("0x1000",
			    g_hash_table_lookup(k->fields, "out_size"));
	k = g_hash_table_lookup(steps, GINT_TO_POINTER(9));
	assert_string_equal("-ENOENT", k->ret);
	assert_true(k->warn);
	assert_string_equal("0x2000",
			    g_hash_table_lookup(k->fields, "out_size"));
	k = g_hash_table_lookup(steps, GINT_TO_POINTER(10));
	assert_false(k->warn);
	assert_null(g_hash_table_lookup(k->fields, "warn"));
	g_hash_table_destroy(steps);
}

/* The model's run against made-up kernel answers: group ids by rank,
 * members in list order, WARN on a void function. */
static void comparison_counts_agreement(void **state)
{
	struct fx *f =
		load(state, "iommu driver=amd-vi\n"
			    "pcie_root_port name=rp0 addr=1c.0 acs=0\n"
			    "pci_device name=nic addr=00.0 parent=rp0\n"
			    "boot\n"
			    "check_group dev=nic id=0 devices=rp0,nic\n"
			    "iommu_group_release_dma_owner dev=nic\n"
			    "iommu_device_claim_dma_owner dev=nic owner=a\n");
	struct run_opts opts = { .profile = HW_PROFILE };
	struct run_result *rr = scenario_run(f->sc, &opts, NULL);
	GHashTable *ks =
		hw_parse_output("step 5 0 group=3 rank=0 devices=rp0,nic\n"
				"step 6 0 warn\n"
				"step 7 -EPERM\n");
	struct hw_file_report rep = { 0 };

	assert_non_null(rr);
	hw_compare(f->sc, f->m, rr, ks, &rep);
	assert_int_equal(3, rep.compared);
	assert_int_equal(2, rep.agreed);
	assert_int_equal(1, rep.disagreed);
	assert_non_null(strstr(rep.first->str, "test.scn:7"));
	assert_non_null(strstr(rep.first->str, "model ok, kernel EPERM"));
	g_string_free(rep.first, TRUE);
	g_hash_table_destroy(ks);
	run_result_free(rr);
}

static const char dma_scn[] =
	"iommu driver=amd-vi\n"
	"pci_device name=dev addr=03.0 model=edu\n"
	"boot\n"
	"memory_write paddr=0x50000000 len=16 pattern=0x11\n"
	"iommu_paging_domain_alloc dev=dev out_domain=$d\n"
	"iommu_attach_device domain=$d dev=dev\n"
	"iommu_map domain=$d iova=0x1000 paddr=0x50000000 size=4K prot=READ\n"
	"dma dev=dev iova=0x1000 len=16 dir=read pattern=0x11\n"
	"dma dev=dev iova=0x1000 len=16 dir=write pattern=0x22\n"
	"dma dev=dev iova=0x1000 len=16 dir=read pattern=0x11\n"
	"dma dev=dev iova=0x5000 len=16 dir=read\n"
	"check_memory paddr=0x50000000 len=16 pattern=0x11\n";

/* model=edu is QEMU's edu; the memory a DMA scenario names is reserved
 * and the guest gets the RAM to hold it. */
static void dma_machine_reserves_memory(void **state)
{
	struct fx *f = load(state, dma_scn);
	g_autofree char *a = argv_str(f->m);

	assert_null(f->m->why_not);
	assert_non_null(strstr(a, "-device edu,dma_mask=0xffffffffffffffff"));
	assert_non_null(strstr(f->m->cmdline->str, "memmap=0x1000$0x50000000"));
	assert_string_equal("1792M", f->m->mem);
}

static void dma_by_other_device_is_not_runnable(void **state)
{
	assert_no_program(load(state, "pci_device name=nic addr=02.0\n"
				      "boot\n"
				      "dma dev=nic iova=0x1000 len=4 "
				      "dir=read\n"),
			  "model=edu");
}

/* What the guest's DMA shows: ok agrees, a refused write against the
 * model's fault is not comparable (the kind is not observable), other
 * bytes against the model's ok disagree, unknown is not comparable. */
static void dma_outcomes_compare(void **state)
{
	struct fx *f = load(state, dma_scn);
	struct run_opts opts = { .profile = HW_PROFILE };
	struct run_result *rr = scenario_run(f->sc, &opts, NULL);
	GHashTable *ks = hw_parse_output("step 4 0\n"
					 "step 5 0\n"
					 "step 6 0\n"
					 "step 7 0\n"
					 "step 8 0 dma=ok\n"
					 "step 9 0 dma=refused\n"
					 "step 10 0 dma=other\n"
					 "step 11 0 dma=unknown\n"
					 "step 12 0 value=0x11\n");
	struct hw_file_report rep = { 0 };

	assert_non_null(rr);
	hw_compare(f->sc, f->m, rr, ks, &rep);
	assert_int_equal(7, rep.compared);
	assert_int_equal(6, rep.agreed);
	assert_int_equal(1, rep.disagreed);
	assert_int_equal(2, rep.uncomparable);
	assert_non_null(strstr(rep.first->str, "test.scn:10"));
	assert_non_null(strstr(rep.uncomparable_why->str, "line 9"));
	g_string_free(rep.first, TRUE);
	g_string_free(rep.uncomparable_why, TRUE);
	g_hash_table_destroy(ks);
	run_result_free(rr);
}

static const char ifd_scn[] =
	"pci_device name=n addr=03.0\n"
	"boot\n"
	"iommufd_open out_fd=$fd\n"
	"iommufd_device_bind dev=n ictx=$fd out_dev_id=$d\n"
	"IOMMU_IOAS_ALLOC ictx=$fd out_ioas_id=$a\n"
	"IOMMU_IOAS_ALLOC ictx=$fd out_ioas_id=$b\n"
	"user_buffer size=16K out_va=$buf\n"
	"IOMMU_IOAS_MAP ictx=$fd ioas_id=$a flags=READABLE user_va=$buf "
	"length=16K\n"
	"iommufd_device_attach idev=$d pt_id=$a out_pt_id=$h\n"
	"IOMMU_IOAS_NOIOMMU_GET_PA ictx=$fd ioas_id=$a iova=0x%s "
	"length=0x100000\n";

/* The model's run of ifd_scn against agent output @out. */
static struct hw_file_report compare_ifd(void **state, const char *out)
{
	struct fx *f = *state;
	struct run_opts opts = { .profile = HW_PROFILE };
	struct run_result *rr = scenario_run(f->sc, &opts, NULL);
	GHashTable *ks = hw_parse_output(out);
	struct hw_file_report rep = { 0 };

	assert_non_null(rr);
	hw_compare(f->sc, f->m, rr, ks, &rep);
	g_hash_table_destroy(ks);
	run_result_free(rr);
	return rep;
}

/* Ids and kernel-chosen IOVAs are compared through a mapping built as
 * the steps go, not as equal numbers; GET_PA by its page offset and the
 * guest's pagemap; a second pair for a value seen before disagrees. */
static void ifd_outs_compare_through_mappings(void **state)
{
	g_autofree char *text = NULL;
	struct fx *f;
	struct run_opts opts = { .profile = HW_PROFILE };
	struct run_result *rr;
	const struct step_result *iova_step;
	guint64 iova = 0;
	struct hw_file_report rep;
	g_autofree char *bad = NULL;
	char *good = NULL;

	/* the model's kernel-chosen IOVA, for the GET_PA step */
	text = g_strdup_printf(ifd_scn, "0");
	f = load(state, text);
	rr = scenario_run(f->sc, &opts, NULL);
	iova_step = rr->steps->pdata[7];
	for (guint i = 0; iova_step->outs && i < iova_step->outs->len; i++) {
		const struct step_out *o =
			&g_array_index(iova_step->outs, struct step_out, i);

		if (!strcmp(o->key, "out_iova"))
			iova = o->value;
	}
	run_result_free(rr);
	assert_true(iova != 0);
	teardown(state);
	g_free(text);
	g_free(good);
	good = g_strdup_printf("%llx", (unsigned long long)iova + 0x123);
	text = g_strdup_printf(ifd_scn, good);
	g_free(good);
	load(state, text);
	good = g_strdup_printf(
		"step 3 0\nstep 4 0 out_dev_id=0x7\n"
		"step 5 0 out_ioas_id=0x8\nstep 6 0 out_ioas_id=0x9\n"
		"step 7 0 out_va=0x7f0000000000\n"
		"step 8 0 out_iova=0x5000000\nstep 9 0 out_pt_id=0xa\n"
		"step 10 0 out_length=0x%x out_phys=0x98765123 pagemap=ok "
		"contig=0x%x\n",
		0x4000 - 0x123, 0x4000 - 0x123);
	rep = compare_ifd(state, good);
	assert_int_equal(8, rep.agreed);
	assert_int_equal(0, rep.disagreed);
	/* the second IOAS given the guest id the first one had */
	bad = g_strdup(good);
	memcpy(strstr(bad, "out_ioas_id=0x9"), "out_ioas_id=0x8", 15);
	rep = compare_ifd(state, bad);
	assert_int_equal(1, rep.disagreed);
	assert_non_null(strstr(rep.first->str, "test.scn:6"));
	g_string_free(rep.first, TRUE);
	g_free(good);
}

/* arm-smmu-v3 with PCI devices: the aarch64 guest, virt with its SMMUv3;
 * the kernel has no networking, so e1000e is played by a stand-in */
static void smmuv3_becomes_virt_machine(void **state)
{
	struct fx *f = load(
		state, "kconfig IOMMU_DEFAULT=strict\n"
		       "iommu name=smmu driver=arm-smmu-v3\n"
		       "pcie_root_port name=rp0 addr=01.0 acs=1\n"
		       "pcie_pci_bridge name=br addr=00.0 parent=rp0\n"
		       "pci_device name=d1 addr=01.0 parent=br pcie=0\n"
		       "pci_device name=nic addr=00.0 pcie=0 driver=e1000e\n"
		       "boot\n");
	g_autofree char *argv = argv_str(f->m);

	assert_null(f->m->why_not);
	assert_int_equal(HW_ARCH_AARCH64, f->m->arch);
	assert_null(f->m->kconfig); /* arm64.config is strict already */
	assert_string_equal(
		"-machine virt,iommu=smmuv3,gic-version=3 -cpu max "
		"-device pcie-root-port,chassis=1,slot=1,id=b1,bus=pcie.0,"
		"addr=01.0 "
		"-device pcie-pci-bridge,id=b2,bus=b1,addr=00.0 "
		"-device e1000,romfile=,id=b3,bus=b2,addr=01.0",
		argv);
	/* 00.0 of the root bus is virt's own host bridge */
	assert_string_equal("virt-builtin",
			    hw_machine_dev(f->m, "nic")->qemu_model);
	assert_string_equal("iommusim-dma",
			    hw_guest_driver(f->m, "nic", "e1000e"));
}

/* The one aarch64 kernel is arm64's default, IOMMU_DEFAULT_DMA_STRICT;
 * the model's default without kconfig is x86's lazy */
static void smmuv3_without_strict_is_not_runnable(void **state)
{
	struct fx *f = load(state, "iommu name=smmu driver=arm-smmu-v3\n"
				   "pcie_root_port name=rp0 addr=01.0\n"
				   "boot\n");

	assert_non_null(f->m->why_not);
	assert_non_null(strstr(f->m->why_not, "IOMMU_DEFAULT_DMA_STRICT"));
}

/* virt's SMMUv3 translates its PCIe root complex only */
static void smmuv3_platform_device_is_not_runnable(void **state)
{
	struct fx *f = load(state, "kconfig IOMMU_DEFAULT=strict\n"
				   "iommu name=smmu driver=arm-smmu-v3\n"
				   "platform_device name=dma0 stream_id=0x20\n"
				   "boot\n");

	assert_non_null(f->m->why_not);
	assert_non_null(strstr(f->m->why_not, "root complex"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(switch_becomes_qemu_devices,
					  teardown),
		cmocka_unit_test_teardown(root_port_without_acs_disables_it,
					  teardown),
		cmocka_unit_test_teardown(
			downstream_port_with_acs_is_not_runnable, teardown),
		cmocka_unit_test_teardown(ich9_functions_are_builtin, teardown),
		cmocka_unit_test_teardown(
			function_without_multifunction_zero_is_not_runnable,
			teardown),
		cmocka_unit_test_teardown(
			function_without_function_0_is_runnable, teardown),
		cmocka_unit_test_teardown(
			function_without_function_0_behind_bridge_is_runnable,
			teardown),
		cmocka_unit_test_teardown(
			function_0_added_after_function_1_is_not_runnable,
			teardown),
		cmocka_unit_test_teardown(drivers_map_to_guest_drivers,
					  teardown),
		cmocka_unit_test_teardown(
			program_translates_handles_and_cookies, teardown),
		cmocka_unit_test_teardown(program_counts_slots_per_prefix,
					  teardown),
		cmocka_unit_test_teardown(
			program_gives_an_fd_as_a_number_as_the_model_ran,
			teardown),
		cmocka_unit_test_teardown(
			program_gives_an_access_fd_as_the_agents_file,
			teardown),
		cmocka_unit_test_teardown(
			verb_without_guest_equivalent_is_not_runnable,
			teardown),
		cmocka_unit_test(agent_output_parses),
		cmocka_unit_test(agent_warn_after_out_fields_is_kept),
		cmocka_unit_test_teardown(comparison_counts_agreement,
					  teardown),
		cmocka_unit_test_teardown(dma_machine_reserves_memory,
					  teardown),
		cmocka_unit_test_teardown(dma_by_other_device_is_not_runnable,
					  teardown),
		cmocka_unit_test_teardown(dma_outcomes_compare, teardown),
		cmocka_unit_test_teardown(ifd_outs_compare_through_mappings,
					  teardown),
		cmocka_unit_test_teardown(smmuv3_becomes_virt_machine,
					  teardown),
		cmocka_unit_test_teardown(smmuv3_without_strict_is_not_runnable,
					  teardown),
		cmocka_unit_test_teardown(
			smmuv3_platform_device_is_not_runnable, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
