// SPDX-License-Identifier: MIT
/*
 * test_copy.c - iommufd's part of the model's copy (model/iommufd/copy.c):
 * a ctx with a mapped IOAS is copied whole (the same objects and text,
 * the same next id, the pages and the process they hold its own), and an
 * object kind the copy does not know refuses the copy by name, never
 * half-copies it. The corpus-wide exactness is test_session_copy.c's.
 */
#include "ifd_fixture.h"
#include "copy.h"
#include "pt/physmem.h"

static struct iommu_model *copy_of(struct ifd *f, struct iommufd_ctx **ictx,
				   struct process **task, char **why)
{
	struct iommu_copy *c = iommu_copy_begin(f->m);

	*ictx = iommu_copy_find(c, f->ictx);
	*task = iommufd_copy_process(c, f->task);
	return iommu_copy_end(c, why);
}

/* The copy shows what the original shows, then each goes its own way:
 * an unmap in the copy leaves the original's area, pins and charge. */
static void test_copy_ctx_with_mapped_ioas(void **state)
{
	struct ifd *f = *state;
	struct iommufd_ctx *ictx;
	struct process *task;
	struct iommu_model *m;
	g_autofree char *a = NULL, *b = NULL, *after = NULL;
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap) };

	f->ioas_id = ioas_alloc(f);
	assert_int_equal(0, map_fixed(f, BUFFER_VA, 16 * PAGE_SIZE, 0x100000));
	m = copy_of(f, &ictx, &task, NULL);
	assert_non_null(m);
	assert_ptr_not_equal(f->ictx, ictx);
	assert_ptr_equal(ictx, m->ictxs->pdata[0]);
	a = iommufd_state_snapshot(f->ictx);
	b = iommufd_state_snapshot(ictx);
	assert_string_equal(a, b);
	unmap.ioas_id = f->ioas_id;
	unmap.iova = 0x100000;
	unmap.length = 16 * PAGE_SIZE;
	assert_int_equal(0, iommufd_ioctl(ictx, task, IOMMU_IOAS_UNMAP, &unmap,
					  sizeof(unmap)));
	after = iommufd_state_snapshot(f->ictx);
	assert_string_equal(a, after); /* the original's, untouched */
	assert_int_equal(0, iommufd_ioctl(ictx, task, IOMMU_IOAS_ALLOC, &alloc,
					  sizeof(alloc)));
	assert_int_equal(ioas_alloc(f), alloc.out_ioas_id); /* same next id */
	iommufd_fops_close(ictx);
	process_free(task);
	iommu_model_free(m);
}

/* A kind added to iommufd after this copy was written (a type number
 * past every kind it knows, as a HW queue was once): the copy is
 * refused, naming the kind, and nothing of it is made. */
static void test_copy_refuses_an_unknown_object_kind(void **state)
{
	struct ifd *f = *state;
	struct obj_header *obj, *gone;
	struct iommu_copy *c;
	char *why = NULL;

	assert_int_equal(0,
			 _iommufd_object_alloc(f->ictx, sizeof(*obj),
					       IOMMUFD_OBJ_MAX, (void **)&obj));
	iommufd_object_finalize(f->ictx, obj);
	c = iommu_copy_begin(f->m);
	assert_true(iommu_copy_refused(c));
	assert_null(iommu_copy_end(c, &why));
	assert_non_null(why);
	assert_non_null(strstr(why, "iommufd object kind"));
	assert_non_null(strstr(why, "not copied"));
	g_free(why);
	assert_null(iommufd_copy_kind_refusal(IOMMUFD_OBJ_IOAS));
	assert_int_equal(0, obj_remove(&f->ictx->objects, obj->id, &gone));
	g_free(gone);
}

/* A memfd a write grew is copied with its i_size, f_pos and page list
 * (a fresh page's PA too), its bytes in the copy's physmem: the copy
 * reads what the original reads and writes its own, and the two hash
 * apart once their positions differ */
static void test_copy_memfd_with_its_position_and_grown_pages(void **state)
{
	struct ifd *f = *state;
	struct iommufd_ctx *ictx;
	struct process *task;
	struct iommu_model *m;
	struct file *o, *n;
	u8 page[PAGE_SIZE], got[4];
	int fd;

	process_charge_to(f->task, f->m);
	fd = process_memfd_create(f->task, PAGE_SIZE, (u64[]){ 0x5000 });
	o = process_file_at(f->task, fd);
	assert_int_equal(PAGE_SIZE,
			 process_file_rw(f->task, fd, (uintptr_t)page,
					 PAGE_SIZE, false));
	assert_int_equal(
		4, process_file_rw(f->task, fd, (uintptr_t) "abcd", 4, true));
	m = copy_of(f, &ictx, &task, NULL);
	assert_non_null(m);
	n = process_file_at(task, fd);
	assert_ptr_not_equal(o, n);
	assert_int_equal(o->size, n->size);
	assert_int_equal(o->pos, n->pos);
	assert_int_equal(shmem_page_find(o, 1), shmem_page_find(n, 1));
	assert_int_equal(process_state_hash(f->task, 0),
			 process_state_hash(task, 0));
	assert_int_equal(
		0, physmem_read(m->physmem, shmem_page_find(n, 1), got, 4));
	assert_memory_equal("abcd", got, 4);
	assert_int_equal(2,
			 process_file_rw(task, fd, (uintptr_t) "zz", 2, true));
	assert_int_equal(PAGE_SIZE + 4, o->pos);
	assert_int_equal(PAGE_SIZE + 4, o->size);
	assert_int_not_equal(process_state_hash(f->task, 0),
			     process_state_hash(task, 0));
	assert_int_equal(
		0, physmem_read(f->m->physmem, shmem_page_find(o, 1), got, 4));
	assert_memory_equal("abcd", got, 4);
	assert_int_equal(0, physmem_read(f->m->physmem,
					 shmem_page_find(o, 1) + 4, got, 2));
	assert_memory_equal("\0\0", got, 2); /* the copy's write is its own */
	iommufd_fops_close(ictx);
	process_free(task);
	iommu_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copy_ctx_with_mapped_ioas,
						ifd_setup, ifd_teardown),
		cmocka_unit_test_setup_teardown(
			test_copy_refuses_an_unknown_object_kind, ifd_setup,
			ifd_teardown),
		cmocka_unit_test_setup_teardown(
			test_copy_memfd_with_its_position_and_grown_pages,
			ifd_setup, ifd_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
