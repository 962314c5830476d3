// SPDX-License-Identifier: MIT
/*
 * test_handles.c - typed handles at run time: a handle keeps a reference
 * to the model's object, so using one whose domain was freed is refused
 * as the kernel's use after free even when a newer domain has taken the
 * freed one's id; a handle whose binding step failed was never bound;
 * a file descriptor closed or never bound is unusable as a file (what
 * the explorer prunes); a ctx a VFIO close frees is forgotten; a hotplug
 * while a removal waits is refused when it runs (the rescan would wait
 * for the lock the removal holds; the explorer prunes it too).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "run.h"
#include "runner.h"

#define MACHINE                                                                \
	"iommu driver=amd-vi\n"                                                \
	"pci_device name=nic addr=02.0\n"                                      \
	"boot\n"

typedef char *(*pick_fn)(const struct step_result *sr);

static char *pick_changes(const struct step_result *sr)
{
	return g_strdup(sr->changes);
}

static char *pick_failure(const struct step_result *sr)
{
	return sr->pass ? NULL : g_strdup(sr->failure);
}

static char *pick_why(const struct step_result *sr)
{
	return g_strdup(sr->why);
}

/* What @pick takes of the step on @line of @text */
static char *field_at(const char *text, int line, pick_fn pick)
{
	struct scenario *sc = scenario_parse("t.scn", text, NULL);
	struct run_opts o = { .profile = "linux-7.3" };
	struct run_result *rr;
	char *got = NULL;

	assert_non_null(sc);
	rr = scenario_run(sc, &o, NULL);
	assert_non_null(rr);
	for (guint i = 0; i < rr->steps->len; i++) {
		const struct step_result *sr = rr->steps->pdata[i];

		if (sr->st->line == line)
			got = pick(sr);
	}
	run_result_free(rr);
	scenario_free(sc);
	return got;
}

/* The failure of the step on @line (NULL if it passed), or with
 * @changes its state changes. */
static char *step_at(const char *text, int line, bool changes)
{
	return field_at(text, line, changes ? pick_changes : pick_failure);
}

#define REUSE                                                                  \
	MACHINE "iommu_paging_domain_alloc dev=nic out_domain=$a\n"            \
		"iommu_domain_free domain=$a\n"                                \
		"iommu_paging_domain_alloc dev=nic out_domain=$b\n"            \
		"iommu_attach_device domain=$b dev=nic\n"                      \
		"iommu_attach_device domain=$a dev=nic\n"

static void
freed_handle_is_use_after_free_even_when_its_id_is_reused(void **state)
{
	g_autofree char *reused = step_at(REUSE, 7, true);
	g_autofree char *f = step_at(REUSE, 8, false);

	/* $b has the id $a had (domain#1 is the default domain); the
	 * trace names it by its handle */
	assert_non_null(strstr(reused, "$b (unmanaged)"));
	assert_non_null(f);
	assert_string_equal("undefined behaviour in the kernel: "
			    "iommu_attach_device: $a was freed: use after free",
			    f);
}

static void live_handle_reaches_its_domain(void **state)
{
	g_autofree char *f = step_at(
		MACHINE "iommu_paging_domain_alloc dev=nic out_domain=$a\n"
			"iommu_attach_device domain=$a dev=nic\n"
			"check_group dev=nic domain=$a\n",
		6, false);

	assert_null(f);
}

/* The runner after @text (a session, for what explore asks of it). */
static struct run_session *session(const char *text, struct scenario **sc)
{
	struct run_opts o = { .profile = "linux-7.3" };
	struct run_session *rs;

	*sc = scenario_parse("t.scn", text, NULL);
	assert_non_null(*sc);
	rs = run_session_new(*sc, &o, NULL);
	assert_non_null(rs);
	return rs;
}

static bool unusable(struct run_session *rs, const char *line)
{
	g_autofree char *text = g_strconcat(MACHINE,
					    "iommufd_open out_fd=$c\n"
					    "memfd_create size=0x1000 "
					    "out_fd=$m\n",
					    line, "\n", NULL);
	struct scenario *sc = scenario_parse("t.scn", text, NULL);
	bool ret;

	assert_non_null(sc);
	ret = stmt_names_unusable_fd(run_session_runner(rs),
				     sc->stmts->pdata[sc->stmts->len - 1]);
	scenario_free(sc);
	return ret;
}

/* One fd whose step failed is unusable where a file goes (its number is
 * 0, the guest agent's console); a closed one names whatever took its
 * number, as in the guest, but where records are read out of the file
 * (a VFIO device file's read is a BAR's, whose bytes are not modelled);
 * an eventfd's read or write takes it (the count and errno are); where
 * a number goes, and live, each is usable */
static void unbound_fd_is_unusable_closed_one_only_to_read(void **state)
{
	struct scenario *sc;
	struct run_session *rs = session(
		MACHINE "iommufd_open out_fd=$c\n"
			"memfd_create size=0x1000 out_fd=$m\n"
			"memfd_create size=0x1000 out_fd=$live\n"
			"close fd=$m\n"
			"memfd_create size=0x1000 out_fd=$n\n"
			"IOMMU_FAULT_QUEUE_ALLOC ictx=$c flags=1 "
			"out_fault_id=$f out_fault_fd=$never => EOPNOTSUPP\n",
		&sc);

	assert_false(unusable(rs, "close fd=$m"));
	assert_true(unusable(rs, "iommufd_fault_read fd=$m"));
	assert_true(unusable(rs, "iommufd_veventq_read fd=$m"));
	assert_false(unusable(rs, "eventfd_read fd=$m"));
	assert_false(unusable(rs, "eventfd_write fd=$m"));
	assert_true(unusable(rs, "iommufd_fault_read fd=$never"));
	assert_true(unusable(rs, "close fd=$never"));
	assert_false(unusable(rs, "close fd=$live"));
	/* $n has $m's number, and is its own file */
	assert_false(unusable(rs, "close fd=$n"));
	assert_false(unusable(rs, "IOMMU_DESTROY ictx=$c id=$m"));
	run_session_free(rs);
	scenario_free(sc);
}

/* The why of the step on @line of @text */
static char *why_at(const char *text, int line)
{
	return field_at(text, line, pick_why);
}

#define CLOSED_CDEV                                                            \
	"iommu driver=amd-vi\n"                                                \
	"pci_device name=nic addr=03.0\n"                                      \
	"boot\n"                                                               \
	"driver_bind dev=nic driver=vfio-pci\n"                                \
	"vfio_open cdev_of=nic out_fd=$d\n"                                    \
	"vfio_close fd=$d\n"                                                   \
	"eventfd out_fd=$e\n"

/* A pread()/pwrite() through a closed handle's number is the syscall's
 * refusal (fs/read_write.c ksys_pread64(), ksys_pwrite64(): no
 * FMODE_PREAD/PWRITE on an eventfd, -EBADF with nothing at the
 * number), not the ioctl lookup's */
static void prw_through_a_closed_number_says_the_syscalls_why(void **state)
{
	g_autofree char *rd =
		why_at(CLOSED_CDEV "pread fd=$d offset=0x8 count=4\n", 8);
	g_autofree char *wr = why_at(
		CLOSED_CDEV "pwrite fd=$d offset=0x8 count=4 value=1\n", 8);
	g_autofree char *bad =
		why_at(CLOSED_CDEV "close fd=$e\n"
				   "pread fd=$d offset=0x8 count=4\n",
		       9);

	assert_string_equal("ksys_pread64: the file at the number has no "
			    "FMODE_PREAD (an anon-inode file)",
			    rd);
	assert_string_equal("ksys_pwrite64: the file at the number has no "
			    "FMODE_PWRITE (an anon-inode file)",
			    wr);
	assert_string_equal("ksys_pread64: fd 3 is not open",
			    bad); /* $d's, the lowest past stdio */
}

/* A ctx whose last file reference a bound device cdev held is freed by
 * the cdev's close: the runner forgets it, its snapshot shows no ctx */
static void ctx_freed_by_vfio_close_is_forgotten(void **state)
{
	struct scenario *sc;
	struct run_session *rs = session(
		"cmdline iommufd.allow_unsafe_interrupts=1\n" MACHINE
		"driver_bind dev=nic driver=vfio-pci\n"
		"iommufd_open out_fd=$c\n"
		"vfio_open cdev_of=nic out_fd=$d\n"
		"VFIO_DEVICE_BIND_IOMMUFD fd=$d iommufd=$c out_devid=$id\n"
		"iommufd_close ictx=$c\n"
		"vfio_close fd=$d\n",
		&sc);
	GString *s = g_string_new(NULL);

	ifd_snapshot(run_session_runner(rs), s);
	assert_null(strstr(s->str, "$c"));
	g_string_free(s, TRUE);
	run_session_free(rs);
	scenario_free(sc);
}

/* device_del of a device with a file open waits (BLOCKS), holding
 * pci_rescan_remove_lock: a hotplug's rescan would wait for it, which
 * the model does not run, so it fails at run time, saying why; after
 * the close the same hotplug, at the freed address, runs */
#define WAITING                                                                \
	"iommu driver=intel-vtd\n"                                             \
	"pci_device name=nic addr=03.0\n"                                      \
	"boot\n"                                                               \
	"driver_bind dev=nic driver=vfio-pci\n"                                \
	"vfio_open cdev_of=nic out_fd=$d\n"                                    \
	"device_del dev=nic => BLOCKS\n"

static void hotplug_where_a_removal_still_waits_fails_when_it_runs(void **state)
{
	g_autofree char *f =
		step_at(WAITING "pci_device name=nic2 addr=03.0\n", 7, false);
	g_autofree char *why = field_at(
		WAITING "pci_device name=nic2 addr=03.0\n", 7, pick_why);
	g_autofree char *after = step_at(
		WAITING "vfio_close fd=$d\npci_device name=nic2 addr=03.0\n", 8,
		false);

	assert_string_equal("pci_device failed: EBUSY", f);
	assert_non_null(strstr(why, "not modelled: the rescan would wait "
				    "for pci_rescan_remove_lock, which the "
				    "removal of nic holds"));
	assert_null(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			freed_handle_is_use_after_free_even_when_its_id_is_reused),
		cmocka_unit_test(live_handle_reaches_its_domain),
		cmocka_unit_test(
			unbound_fd_is_unusable_closed_one_only_to_read),
		cmocka_unit_test(ctx_freed_by_vfio_close_is_forgotten),
		cmocka_unit_test(
			prw_through_a_closed_number_says_the_syscalls_why),
		cmocka_unit_test(
			hotplug_where_a_removal_still_waits_fails_when_it_runs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
