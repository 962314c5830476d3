// SPDX-License-Identifier: MIT
/*
 * test_explore_args.c - the statements the explorer generates for a verb
 * (sim/explore_args.c): every operation verb of the table has them (the
 * selftest's multiplexer, IOMMU_TEST_CMD, each of its commands), a
 * command takes exactly its own arguments, a row's named values are
 * exactly what the search tries, alternatives (vfio_open's nodes) are
 * taken one at a time, and an optional argument with nothing to take is
 * left out rather than leaving its verb with no statement at all (but a
 * file descriptor, whose 0 is a file too); optional uapi enums take each
 * name, and flags the sets their row names.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "explore_priv.h"
#include "run.h"
#include "runner.h"

static const char machine[] = "cmdline vfio.enable_unsafe_noiommu_mode=1\n"
			      "iommu driver=amd-vi\n"
			      "pci_device name=a addr=03.0\n"
			      "pci_device name=nic addr=04.0 iommu=none\n"
			      "boot\n";

static struct scenario *parsed(const char *text)
{
	GError *err = NULL;
	struct scenario *sc = scenario_parse("machine.scn", text, &err);

	if (!sc)
		fail_msg("%s", err->message);
	return sc;
}

/* The statements of @verb ("VERB" or "VERB:CODE", as --ops names them)
 * on the machine @text, with @handles bound. */
static GPtrArray *statements_on(const char *text, const char *verb,
				const struct explore_handle *handles)
{
	struct scenario *sc = parsed(text);
	g_autofree char *name = g_strndup(verb, strcspn(verb, ":"));
	const char *code = verb[strlen(name)] ? verb + strlen(name) + 1 : NULL;
	struct explore_machine mc;
	struct explore_verb v;
	const char *unsupported = NULL;
	GPtrArray *out;

	assert_true(explore_verb_select(op_find(name), code, &v));
	explore_machine_init(&mc, sc);
	out = explore_verb_values(&mc, &v, handles, 1, &unsupported);
	assert_non_null(out);
	explore_machine_clear(&mc);
	scenario_free(sc);
	return out;
}

static GPtrArray *statements(const char *verb,
			     const struct explore_handle *handles)
{
	return statements_on(machine, verb, handles);
}

static bool any_has(GPtrArray *a, const char *needle)
{
	for (guint i = 0; i < a->len; i++) {
		if (strstr(a->pdata[i], needle))
			return true;
	}
	return false;
}

/* @op's statements as the verb @v; its name into @skipped when it has
 * none */
static void try_verb(const struct explore_machine *mc,
		     const struct explore_verb *v, GString *skipped)
{
	const char *unsupported = NULL;
	GPtrArray *got = explore_verb_values(mc, v, NULL, 1, &unsupported);

	if (!got)
		g_string_append_printf(skipped, "%s%s%s %s=;", v->op->name,
				       *v->code_name ? ":" : "", v->code_name,
				       unsupported);
	else
		g_ptr_array_free(got, TRUE);
}

static void test_every_operation_verb_is_explorable(void **state)
{
	struct scenario *sc = parsed(machine);
	g_autoptr(GString) skipped = g_string_new("");
	struct explore_machine mc;
	int codes = 0;

	explore_machine_init(&mc, sc);
	for (const struct op *op = op_table; op->name; op++) {
		const struct arg_spec *sel =
			op->takes ? op_arg(op, op->selector) : NULL;
		g_auto(GStrv) values =
			g_strsplit(sel ? sel->values : "", "|", -1);
		struct explore_verb v;

		/* fork and exit are refused in --ops by design: the search
		 * runs its sequences in one process */
		if (op->cls != STEP_OP || op->forks || op->exits)
			continue;
		if (!sel && explore_verb_select(op, NULL, &v))
			try_verb(&mc, &v, skipped);
		for (char **c = values; sel && *c; c++) {
			if (explore_verb_select(op, *c, &v)) {
				try_verb(&mc, &v, skipped);
				codes++;
			}
		}
	}
	assert_string_equal("", skipped->str);
	/* IOMMU_TEST_CMD: iommufd_test.h's 23 IOMMU_TEST_OP_* commands */
	assert_int_equal(23, codes);
	explore_machine_clear(&mc);
	scenario_free(sc);
}

/* IOMMU_TEST_CMD op=MD_CHECK_REFS takes its union member's fields
 * (check_refs: length, uptr, refs) and the head's, no other command's;
 * each statement is one the language accepts */
static void test_a_command_takes_only_its_own_arguments(void **state)
{
	struct explore_handle *h = NULL;
	GPtrArray *got;

	explore_handle_add(&h, "c", &ht_iommufd);
	explore_handle_add(&h, "b", &ht_buffer);
	got = statements("IOMMU_TEST_CMD:MD_CHECK_REFS", h);
	assert_true(got->len > 0);
	for (guint i = 0; i < got->len; i++) {
		g_autofree char *text = g_strdup_printf(
			"%siommufd_open out_fd=$c\n"
			"user_buffer size=0x2000 pa=0x40000000 out_va=$b\n"
			"%s\n",
			machine, (char *)got->pdata[i]);

		assert_non_null(strstr(got->pdata[i], "op=MD_CHECK_REFS"));
		assert_null(strstr(got->pdata[i], "iova="));
		assert_null(strstr(got->pdata[i], "start="));
		scenario_free(parsed(text));
	}
	assert_true(any_has(got, "ictx=$c op=MD_CHECK_REFS"));
	assert_true(any_has(got, "length=0x1000 uptr=$b"));
	g_ptr_array_free(got, TRUE);
	explore_handles_free(h);
}

static void test_a_rows_named_values_are_what_the_search_tries(void **state)
{
	/* iommu_group_store_type()'s four names and one it refuses */
	static const char *const want[] = { "identity", "DMA", "DMA-FQ", "auto",
					    "x" };
	GPtrArray *got = statements("sysfs_write", NULL);

	assert_int_equal(2 * 5, got->len); /* devices a and nic */
	for (guint i = 0; i < got->len; i++) {
		g_autofree char *expect = g_strdup_printf(
			"sysfs_write dev=%s attr=iommu_group/type value=%s",
			i < 5 ? "a" : "nic", want[i % 5]);
		g_autofree char *text = g_strdup_printf("%s%s\n", machine,
							(char *)got->pdata[i]);

		assert_string_equal(expect, got->pdata[i]);
		/* a statement the language accepts */
		scenario_free(parsed(text));
	}
	g_ptr_array_free(got, TRUE);
}

static void test_an_optional_handle_with_nothing_bound_is_left_out(void **state)
{
	struct explore_handle *h = NULL;
	GPtrArray *none, *with;

	/* no fault object yet: IOMMU_HWPT_ALLOC still has statements,
	 * without fault_id= */
	explore_handle_add(&h, "ictx", &ht_iommufd);
	explore_handle_add(&h, "dev", &ht_idev);
	explore_handle_add(&h, "ioas", &ht_ioas);
	none = statements("IOMMU_HWPT_ALLOC", h);
	assert_true(none->len > 0);
	assert_false(any_has(none, "fault_id="));
	/* once one is bound, every statement names it */
	explore_handle_add(&h, "f", &ht_fault);
	with = statements("IOMMU_HWPT_ALLOC", h);
	assert_int_equal(none->len, with->len);
	for (guint i = 0; i < with->len; i++)
		assert_non_null(strstr(with->pdata[i], "fault_id=$f"));
	g_ptr_array_free(none, TRUE);
	g_ptr_array_free(with, TRUE);
	explore_handles_free(h);
}

/* A file descriptor left out is fd 0, a file all the same (the guest
 * agent's standard input): with no fd bound IOMMU_IOAS_MAP_FILE has no
 * statement; once one is, every statement names it */
static void
test_an_optional_fd_with_nothing_bound_leaves_no_statement(void **state)
{
	struct explore_handle *h = NULL;
	GPtrArray *none, *with;

	explore_handle_add(&h, "ictx", &ht_iommufd);
	explore_handle_add(&h, "ioas", &ht_ioas);
	none = statements("IOMMU_IOAS_MAP_FILE", h);
	assert_int_equal(0, none->len);
	explore_handle_add(&h, "m", &ht_memfd);
	with = statements("IOMMU_IOAS_MAP_FILE", h);
	assert_true(with->len > 0);
	for (guint i = 0; i < with->len; i++)
		assert_non_null(strstr(with->pdata[i], "fd=$m"));
	g_ptr_array_free(none, TRUE);
	g_ptr_array_free(with, TRUE);
	explore_handles_free(h);
}

/* An optional uapi enum takes each of its names (left out is the
 * first, 0): VFIO_DEVICE_GET_IRQ_INFO index= the five PCI indices */
static void test_an_optional_uapi_enum_takes_every_name(void **state)
{
	struct explore_handle *h = NULL;
	GPtrArray *got;

	explore_handle_add(&h, "d", &ht_vfio_fd);
	got = statements("VFIO_DEVICE_GET_IRQ_INFO", h);
	assert_int_equal(5, got->len);
	assert_string_equal(
		"VFIO_DEVICE_GET_IRQ_INFO fd=$d index=VFIO_PCI_INTX_IRQ_INDEX",
		got->pdata[0]);
	assert_true(any_has(got, "index=VFIO_PCI_REQ_IRQ_INDEX"));
	g_ptr_array_free(got, TRUE);
	explore_handles_free(h);
}

/* Flags whose row names sets take those (VFIO_DEVICE_SET_IRQS: one data
 * type with one action, vfio_pci_set_irqs_ioctl()), and data0= -1 or
 * each fd; each statement one the language accepts */
static void test_flags_take_the_sets_their_row_names(void **state)
{
	struct explore_handle *h = NULL;
	GPtrArray *got;

	explore_handle_add(&h, "d", &ht_vfio_fd);
	explore_handle_add(&h, "e", &ht_memfd);
	got = statements("VFIO_DEVICE_SET_IRQS", h);
	/* 11 flag sets, 5 indices, start and count 0 or 1, data0 2 */
	assert_int_equal(11 * 5 * 2 * 2 * 2, got->len);
	assert_true(any_has(got, "flags=DATA_EVENTFD,ACTION_TRIGGER index="
				 "VFIO_PCI_MSIX_IRQ_INDEX start=0 count=1 "
				 "data0=$e"));
	assert_true(any_has(got, "flags=0 "));
	assert_false(any_has(got, "flags=DATA_NONE "));
	for (guint i = 0; i < got->len; i += 7) {
		g_autofree char *text = g_strdup_printf(
			"%svfio_open path=/dev/vfio/vfio out_fd=$d\n"
			"eventfd out_fd=$e\n%s\n",
			machine, (char *)got->pdata[i]);

		scenario_free(parsed(text));
	}
	g_ptr_array_free(got, TRUE);
	explore_handles_free(h);
}

static void test_a_uapi_code_takes_every_name_of_its_row(void **state)
{
	struct explore_handle *h = NULL;
	GPtrArray *got;

	explore_handle_add(&h, "c", &ht_vfio_fd);
	got = statements("VFIO_SET_IOMMU", h);
	/* VFIO_EXTENSIONS: 0 and ten names, each on fd=$c */
	assert_int_equal(11, got->len);
	assert_true(any_has(got, "fd=$c type=VFIO_TYPE1v2_IOMMU"));
	assert_true(any_has(got, "fd=$c type=VFIO_NOIOMMU_IOMMU"));
	assert_true(any_has(got, "fd=$c type=0"));
	g_ptr_array_free(got, TRUE);
	explore_handles_free(h);
}

static void test_vfio_open_takes_one_node_of_each_kind(void **state)
{
	static const char *const want[] = {
		"vfio_open path=/dev/vfio/vfio out_fd=$xfd1",
		"vfio_open group_of=a out_fd=$xfd1",
		"vfio_open group_of=nic out_fd=$xfd1",
		"vfio_open cdev_of=a out_fd=$xfd1",
		"vfio_open cdev_of=nic out_fd=$xfd1",
	};
	GPtrArray *got = statements("vfio_open", NULL);

	assert_int_equal(G_N_ELEMENTS(want), got->len);
	for (guint i = 0; i < got->len; i++)
		assert_string_equal(want[i], got->pdata[i]);
	g_ptr_array_free(got, TRUE);
}

/* A hotplug goes where a rescan finds it (probe.c pci_scan_slot(),
 * only_one_child()): the root bus's first free slot past the prefix's
 * (1e.0 past rp1's 1d.0), then, in the prefix's order, slot 00 behind
 * a root or downstream port with nothing behind it (rp0, dn; not rp1,
 * whose slot 00 d holds, nor rp2, whose bus holds the switch), nothing
 * behind an upstream port (its bus holds downstream ports), and behind
 * a PCIe-to-PCI bridge the first free slot past the prefix's as a
 * conventional function (02.0 past a's 01.0, pcie=0). */
static void test_a_hotplug_goes_where_a_rescan_finds_it(void **state)
{
	static const char bridged[] =
		"iommu driver=amd-vi\n"
		"pcie_root_port name=rp0 addr=1c.0\n"
		"pcie_root_port name=rp1 addr=1d.0\n"
		"pci_device name=d addr=00.0 parent=rp1\n"
		"pcie_root_port name=rp2 addr=1b.0\n"
		"pcie_switch_upstream name=up addr=00.0 parent=rp2\n"
		"pcie_switch_downstream name=dn addr=00.0 parent=up\n"
		"pcie_pci_bridge name=br addr=02.0\n"
		"pci_device name=a addr=01.0 parent=br pcie=0\n"
		"boot\n";
	static const char *const want[] = {
		"pci_device name=hp1 addr=1e.0",
		"pci_device name=hp1 addr=00.0 parent=rp0",
		"pci_device name=hp1 addr=00.0 parent=dn",
		"pci_device name=hp1 addr=02.0 parent=br pcie=0",
	};
	GPtrArray *got = statements_on(bridged, "pci_device", NULL);

	assert_int_equal(G_N_ELEMENTS(want), got->len);
	for (guint i = 0; i < got->len; i++) {
		g_autofree char *text = g_strdup_printf("%s%s\n", bridged,
							(char *)got->pdata[i]);

		assert_string_equal(want[i], got->pdata[i]);
		scenario_free(parsed(text)); /* the language takes it */
	}
	g_ptr_array_free(got, TRUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_operation_verb_is_explorable),
		cmocka_unit_test(test_a_command_takes_only_its_own_arguments),
		cmocka_unit_test(
			test_a_rows_named_values_are_what_the_search_tries),
		cmocka_unit_test(
			test_an_optional_handle_with_nothing_bound_is_left_out),
		cmocka_unit_test(
			test_an_optional_fd_with_nothing_bound_leaves_no_statement),
		cmocka_unit_test(test_an_optional_uapi_enum_takes_every_name),
		cmocka_unit_test(test_flags_take_the_sets_their_row_names),
		cmocka_unit_test(test_a_uapi_code_takes_every_name_of_its_row),
		cmocka_unit_test(test_vfio_open_takes_one_node_of_each_kind),
		cmocka_unit_test(test_a_hotplug_goes_where_a_rescan_finds_it),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
