// SPDX-License-Identifier: MIT
/*
 * test_eventq.c - IOMMU_FAULT_QUEUE_ALLOC (model/iommufd/eventq.c)
 * against Linux 7.3's drivers/iommu/iommufd/eventq.c: the fault object,
 * its anon-inode file's references, and an HWPT that names it.
 */
#include "fx_device.h"

static int fault_alloc(struct fx *f, u32 flags, u32 *id, int *fd)
{
	struct iommu_fault_alloc cmd = { .size = sizeof(cmd), .flags = flags };
	int rc = fx_ioctl(f, IOMMU_FAULT_QUEUE_ALLOC, &cmd);

	*id = cmd.out_fault_id;
	*fd = (int)cmd.out_fault_fd;
	return rc;
}

/* ioas.c iommufd_ioas_unmap(): iova 0, length U64_MAX is every area */
static int fx_unmap_all(struct fx *f, u32 ioas)
{
	struct iommu_ioas_unmap cmd = { .size = sizeof(cmd),
					.ioas_id = ioas,
					.length = UINT64_MAX };

	return fx_ioctl(f, IOMMU_IOAS_UNMAP, &cmd);
}

/* iommufd_fault_alloc(): flags must be 0; nothing is allocated */
static void fault_alloc_with_flags_is_eopnotsupp(void **state)
{
	struct fx *f = *state;
	u32 id = 0;
	int fd = 0;

	assert_int_equal(-EOPNOTSUPP, fault_alloc(f, 1, &id, &fd));
	assert_int_equal(0, obj_ids_taken(&f->ictx->objects));
	assert_int_equal(1, f->ictx->file_refs);
}

/* iommufd_eventq_init(): the file holds a users reference, so
 * IOMMU_DESTROY is EBUSY until the fd is closed; the fd is the lowest
 * free one (get_unused_fd_flags()) */
static void fault_is_busy_while_its_fd_is_open(void **state)
{
	struct fx *f = *state;
	u32 id = 0;
	int fd = 0;

	assert_int_equal(0, fault_alloc(f, 0, &id, &fd));
	assert_int_equal(1, id);
	assert_int_equal(3, fd);
	assert_int_equal(2, fx_obj(f, id)->users);
	assert_int_equal(2, f->ictx->file_refs);
	assert_int_equal(-EBUSY, fx_destroy(f, id));
	assert_int_equal(0, process_close_fd(f->task, fd));
	assert_int_equal(1, f->ictx->file_refs);
	assert_int_equal(0, fx_destroy(f, id));
	assert_null(fx_obj(f, id));
}

/* iommufd_eventq_init() takes a ctx reference: closing /dev/iommu first
 * leaves every object in place until the fault fd goes
 * (iommufd_eventq_fops_release() puts the ctx last) */
static void fault_fd_keeps_the_ctx_after_close(void **state)
{
	struct fx *f = *state;
	u32 id = 0, ioas = fx_ioas(f);
	int fd = 0;

	assert_int_equal(0, fault_alloc(f, 0, &id, &fd));
	iommufd_fops_close(f->ictx);
	assert_int_equal(1, f->ictx->file_refs);
	assert_non_null(fx_obj(f, ioas));
	assert_int_equal(0, process_close_fd(f->task, fd));
	/* the ctx is gone: reopen one for the teardown */
	assert_int_equal(0, iommufd_fops_open(f->m, &f->ictx));
}

/* process->fd_alloc: no fd to be had (a shim's real process at its
 * RLIMIT_NOFILE) */
static int no_fd(struct process *p, void *data)
{
	return -EMFILE;
}

/* iommufd_fault_alloc(): get_unused_fd_flags() failing returns its errno
 * with the file made; the dispatcher's iommufd_object_abort_and_destroy()
 * fputs it, so its release gives back the users and ctx references, and
 * the object and its id go: nothing is left, nothing is copied back, and
 * the next alloc gets id 1 and fd 3 as if none had been tried */
static void fault_alloc_without_an_fd_unwinds(void **state)
{
	struct fx *f = *state;
	struct iommu_fault_alloc cmd = { .size = sizeof(cmd) };
	u32 id = 0;
	int fd = 0;

	f->task->fd_alloc = no_fd;
	assert_int_equal(-EMFILE, fx_ioctl(f, IOMMU_FAULT_QUEUE_ALLOC, &cmd));
	assert_int_equal(0, cmd.out_fault_id);
	assert_int_equal(0, cmd.out_fault_fd);
	assert_int_equal(0, obj_ids_taken(&f->ictx->objects));
	assert_int_equal(1, f->ictx->file_refs);
	assert_int_equal(0, f->task->files->len);
	assert_false(f->m->warned);
	f->task->fd_alloc = NULL;
	assert_int_equal(0, fault_alloc(f, 0, &id, &fd));
	assert_int_equal(1, id);
	assert_int_equal(3, fd);
	assert_int_equal(0, process_close_fd(f->task, fd));
	assert_int_equal(0, fx_destroy(f, id));
}

/* iommufd_hwpt_alloc(): FAULT_ID_VALID takes a users reference on the
 * fault (the HWPT holds it until destroyed, __iommufd_hwpt_destroy());
 * an id of another type is -ENOENT (iommufd_get_fault()) */
static void hwpt_with_fault_id_holds_the_fault(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	u32 id = 0, ioas = fx_ioas(f), hwpt = 0;
	int fd = 0;
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.flags = IOMMU_HWPT_FAULT_ID_VALID,
		.dev_id = idev->obj.id,
		.pt_id = ioas,
		.fault_id = ioas,
	};

	assert_int_equal(0, fault_alloc(f, 0, &id, &fd));
	assert_int_equal(-ENOENT, fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	cmd.fault_id = id;
	assert_int_equal(0, fx_ioctl(f, IOMMU_HWPT_ALLOC, &cmd));
	hwpt = cmd.out_hwpt_id;
	assert_int_equal(3, fx_obj(f, id)->users);
	assert_int_equal(0, process_close_fd(f->task, fd));
	assert_int_equal(-EBUSY, fx_destroy(f, id));
	assert_int_equal(0, fx_destroy(f, hwpt));
	assert_int_equal(0, fx_destroy(f, id));
	iommufd_device_unbind(idev);
}

/* memfd_pin_folios(): IOMMU_IOAS_MAP_FILE of the fault fd (not shmem) is
 * accepted while no domain pins it, and refused (-EINVAL) once one does */
static void map_file_of_a_fault_fd_fails_when_pinned(void **state)
{
	struct fx *f = *state;
	struct iommufd_device *idev = fx_bind(f, f->c);
	u32 id = 0, ioas = fx_ioas(f), pt;
	int fd = 0;
	struct iommu_ioas_map_file cmd = {
		.size = sizeof(cmd),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE,
		.ioas_id = ioas,
		.length = 4096,
		.iova = 0x100000,
	};

	assert_int_equal(0, fault_alloc(f, 0, &id, &fd));
	cmd.fd = fd;
	pt = ioas;
	assert_int_equal(0, iommufd_device_attach(idev, IOMMU_NO_PASID, &pt));
	assert_int_equal(-EINVAL, fx_ioctl(f, IOMMU_IOAS_MAP_FILE, &cmd));
	assert_int_equal(0, iommufd_device_detach(idev, IOMMU_NO_PASID));
	assert_int_equal(0, fx_ioctl(f, IOMMU_IOAS_MAP_FILE, &cmd));
	iommufd_device_unbind(idev);
	/* the area's iopt_pages holds the file (get_file()), the file holds
	 * the ctx: closing the fd releases nothing until the area goes */
	assert_int_equal(0, process_close_fd(f->task, fd));
	assert_int_equal(2, f->ictx->file_refs);
	assert_int_equal(0, fx_unmap_all(f, ioas));
	assert_int_equal(1, f->ictx->file_refs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup_amd, fx_teardown)
		T(fault_alloc_with_flags_is_eopnotsupp),
		T(fault_is_busy_while_its_fd_is_open),
		T(fault_fd_keeps_the_ctx_after_close),
		T(fault_alloc_without_an_fd_unwinds),
		T(hwpt_with_fault_id_holds_the_fault),
		T(map_file_of_a_fault_fd_fails_when_pinned),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
