// SPDX-License-Identifier: MIT
/*
 * test_fail_nth.c - failure atomicity of the IOAS side of the model's
 * iommufd, as tools/testing/selftests/iommu/iommufd_fail_nth.c proves it
 * for the kernel: a sequence of operations is replayed failing the 1st,
 * 2nd, ... allocation or lookup point of each step in turn (the model's
 * one fail-nth knob, m->fault); the failing step must return the errno
 * 7.3 returns from that point and leave the whole iommufd state as it was
 * (ids, users, areas, reservations, alignment, pins and charges, and the
 * translations of every domain). Then the step runs for real and the
 * sequence goes on.
 *
 * Page-table pages a failed iommu_map() allocated are not compared: the
 * kernel's generic_pt keeps empty intermediate tables too.
 */
#include "ifd_fixture.h"

struct seq {
	struct ifd *f;
	u32 a, b; /* two IOAS */
	struct iommu_domain *d1, *d2;
	int fd;
	u64 auto_iova;
	struct process *other; /* IOMMU_IOAS_CHANGE_PROCESS's caller */
};

/* What each failure point returns (7.3): the allocation sites -ENOMEM,
 * except the ones the kernel maps otherwise. */
static int site_errno(const char *site)
{
	static const struct {
		const char *site;
		int err;
	} map[] = {
		{ "iommufd_get_object", -ENOENT },
		{ "pfn_reader_user_pin", -EFAULT },
		{ "iopt_table_enforce_dev_resv_regions", -EINVAL },
	};

	for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
		if (!strcmp(site, map[i].site))
			return map[i].err;
	}
	return -ENOMEM;
}

/* Every domain's translations over the IOVA the sequence uses. */
static void dump_translations(GString *s, struct iommu_model *m,
			      struct io_pagetable *iopt)
{
	for (unsigned int i = 0; i < iopt->domains->len; i++) {
		struct iommu_domain *d = iopt->domains->pdata[i];

		g_string_append_printf(s, "domain#%u:", d->obj.id);
		for (u64 iova = 0; iova < 8 * MIB; iova += PAGE_SIZE) {
			u64 pa = iommu_iova_to_phys(m, d, iova);

			if (pa)
				g_string_append_printf(s, " %llx>%llx",
						       (unsigned long long)iova,
						       (unsigned long long)pa);
		}
		g_string_append_c(s, '\n');
	}
}

/* The whole iommufd state, both callers, and the translations. */
static char *state_of(struct ifd *f, struct process *other)
{
	char *ctx = iommufd_state_snapshot(f->ictx);
	char *task = process_state_snapshot(f->task);
	char *oth = process_state_snapshot(other);
	GString *s = g_string_new(NULL);
	struct obj_table *t = &f->ictx->objects;

	g_string_append_printf(s, "%s%s%s", ctx, task, oth);
	for (u32 id = obj_next_id(t, 0); id; id = obj_next_id(t, id)) {
		struct obj_header *obj = obj_peek(t, id);

		if (obj->type == IOMMUFD_OBJ_IOAS)
			dump_translations(s, f->m,
					  &((struct iommufd_ioas *)obj)->iopt);
	}
	g_free(ctx);
	g_free(task);
	g_free(oth);
	return g_string_free(s, FALSE);
}

typedef int (*step_fn)(struct seq *q);

static int step_alloc_a(struct seq *q)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };
	int rc = ifd_ioctl(q->f, IOMMU_IOAS_ALLOC, &cmd);

	q->a = cmd.out_ioas_id;
	return rc;
}

static int step_alloc_b(struct seq *q)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };
	int rc = ifd_ioctl(q->f, IOMMU_IOAS_ALLOC, &cmd);

	q->b = cmd.out_ioas_id;
	return rc;
}

static int step_map_fixed(struct seq *q)
{
	u64 iova = MIB;

	return ioas_map_raw(q->f, q->a, BUFFER_VA, 4 * PAGE_SIZE, FIXED, &iova);
}

static int step_add_domain(struct seq *q)
{
	return iopt_table_add_domain(&ioas_of(q->f, q->a)->iopt, q->d1);
}

static int step_map_auto(struct seq *q)
{
	q->auto_iova = 0;
	return ioas_map_raw(q->f, q->a, BUFFER_VA + 8 * PAGE_SIZE,
			    8 * PAGE_SIZE, RW, &q->auto_iova);
}

static int step_copy(struct seq *q)
{
	struct iommu_ioas_copy cmd = {
		.size = sizeof(cmd),
		.flags = RW,
		.dst_ioas_id = q->b,
		.src_ioas_id = q->a,
		.length = 2 * PAGE_SIZE,
		.src_iova = MIB + PAGE_SIZE,
	};

	return ifd_ioctl(q->f, IOMMU_IOAS_COPY, &cmd);
}

static int step_map_file(struct seq *q)
{
	struct iommu_ioas_map_file cmd = {
		.size = sizeof(cmd),
		.flags = FIXED,
		.ioas_id = q->a,
		.fd = q->fd,
		.length = 2 * PAGE_SIZE,
		.iova = 2 * MIB,
	};

	return ifd_ioctl(q->f, IOMMU_IOAS_MAP_FILE, &cmd);
}

static int step_allow(struct seq *q)
{
	struct iommu_iova_range r[2] = { { 0x10000, 0x1fffff },
					 { 0x400000, 0x7fffff } };
	struct iommu_ioas_allow_iovas cmd = {
		.size = sizeof(cmd),
		.ioas_id = q->b,
		.num_iovas = 2,
		.allowed_iovas = (uintptr_t)r,
	};

	return ifd_ioctl(q->f, IOMMU_IOAS_ALLOW_IOVAS, &cmd);
}

static int step_ranges(struct seq *q)
{
	struct iommu_iova_range r[8];
	struct iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd),
		.ioas_id = q->a,
		.num_iovas = 8,
		.allowed_iovas = (uintptr_t)r,
	};

	return ifd_ioctl(q->f, IOMMU_IOAS_IOVA_RANGES, &cmd);
}

static int step_resv(struct seq *q)
{
	return iopt_table_enforce_dev_resv_regions(&ioas_of(q->f, q->a)->iopt,
						   q->f->m, q->f->dev, NULL);
}

static int step_add_domain2(struct seq *q)
{
	return iopt_table_add_domain(&ioas_of(q->f, q->a)->iopt, q->d2);
}

static int step_unmap_part(struct seq *q)
{
	struct iommu_ioas_unmap cmd = {
		.size = sizeof(cmd),
		.ioas_id = q->a,
		.iova = q->auto_iova,
		.length = 8 * PAGE_SIZE,
	};

	return ifd_ioctl(q->f, IOMMU_IOAS_UNMAP, &cmd);
}

static int step_option(struct seq *q)
{
	return option(q->f, HUGE, GET, q->a, &(u64){ 0 });
}

static int step_destroy_b(struct seq *q)
{
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = q->b };

	return ifd_ioctl(q->f, IOMMU_DESTROY, &cmd);
}

static int step_unmap_all(struct seq *q)
{
	struct iommu_ioas_unmap cmd = {
		.size = sizeof(cmd),
		.ioas_id = q->a,
		.length = UINT64_MAX,
	};

	return ifd_ioctl(q->f, IOMMU_IOAS_UNMAP, &cmd);
}

static int step_change_process(struct seq *q)
{
	struct iommu_ioas_change_process cmd = { .size = sizeof(cmd) };

	return iommufd_ioctl(q->f->ictx, q->other, IOMMU_IOAS_CHANGE_PROCESS,
			     &cmd, sizeof(cmd));
}

/* Run @step failing each point in turn, then for real; the number of
 * failure points it has. */
static unsigned int replay(struct seq *q, step_fn step)
{
	struct fault_attr *fault = &q->f->m->fault;
	unsigned int points = 0;

	for (u64 nth = 1;; nth++) {
		char *before = state_of(q->f, q->other), *after;
		int rc;

		fault_arm(fault, nth);
		rc = step(q);
		if (fault_armed(fault)) {
			/* the step ran out of points: it really ran */
			fault_arm(fault, 0);
			assert_int_equal(0, rc);
			g_free(before);
			return points;
		}
		points++;
		after = state_of(q->f, q->other);
		if (rc != site_errno(fault->hit) || strcmp(before, after))
			print_error("failing point %llu (%s): %d\nbefore:\n%s"
				    "after:\n%s",
				    (unsigned long long)nth, fault->hit, rc,
				    before, after);
		assert_int_equal(site_errno(fault->hit), rc);
		assert_string_equal(before, after);
		assert_false(q->f->m->warned);
		g_free(before);
		g_free(after);
	}
}

static void every_failing_point_leaves_the_state_unchanged(void **state)
{
	static const step_fn steps[] = {
		step_alloc_a,  step_map_fixed,	    step_add_domain,
		step_map_auto, step_alloc_b,	    step_copy,
		step_map_file, step_allow,	    step_ranges,
		step_resv,     step_add_domain2,    step_unmap_part,
		step_option,   step_destroy_b,	    step_unmap_all,
		step_map_file, step_change_process,
	};
	u64 pas[2] = { 0x60000000, 0x60001000 };
	struct ifd *f = *state;
	struct seq q = { .f = f };
	unsigned int points = 0;

	f->task->caps &= ~CAP_BIT(CAP_IPC_LOCK); /* charge locked_vm too */
	q.fd = process_memfd_create(f->task, 2 * PAGE_SIZE, pas);
	q.d1 = paging_domain(f);
	q.d2 = noiommu_domain(f);
	q.other = process_new();
	q.other->caps = 0;
	for (size_t i = 0; i < G_N_ELEMENTS(steps); i++)
		points += replay(&q, steps[i]);
	/* every step had at least its lookup or allocation to fail */
	assert_true(points >= G_N_ELEMENTS(steps));
	print_message("%u failure points replayed\n", points);
	iopt_table_remove_domain(&ioas_of(f, q.a)->iopt, q.d2);
	iopt_table_remove_domain(&ioas_of(f, q.a)->iopt, q.d1);
	iopt_remove_reserved_iova(&ioas_of(f, q.a)->iopt, f->dev);
	f->ioas_id = q.a;
	assert_int_equal(0, unmap_raw(f, 0, UINT64_MAX, NULL));
	assert_int_equal(0, q.other->pinned_vm);
	assert_int_equal(0, q.other->user->locked_vm);
	process_free(q.other);
	domain_free(f, q.d1);
	domain_free(f, q.d2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			every_failing_point_leaves_the_state_unchanged,
			ifd_setup, ifd_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
