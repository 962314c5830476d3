// SPDX-License-Identifier: MIT
/*
 * test_dmabuf.c - the IOMMUFD_TEST dma-buf exporter
 * (model/iommufd/selftest_dmabuf.c, dma_buf.c) and IOMMU_IOAS_MAP_FILE's
 * dma-buf branch (pages.c), against Linux 7.3's
 * drivers/iommu/iommufd/selftest.c iommufd_test_dmabuf_get(),
 * iommufd_test_dmabuf_revoke(), iommufd_test_dma_buf_iommufd_map(),
 * drivers/dma-buf/dma-buf.c dma_buf_get() and
 * drivers/iommu/iommufd/pages.c iopt_alloc_dmabuf_pages().
 */
#include <fcntl.h>

#include "ifd_fixture.h"
#include "iommufd/dma_buf.h"

/* the model's process numbers its fds from 3 (process_fd_install()) */
#define FIRST_FD 3

static int dmabuf_get(struct ifd *f, u32 length)
{
	struct iommu_test_cmd cmd = {
		.op = IOMMU_TEST_OP_DMABUF_GET,
		.dmabuf_get = { .length = length, .open_flags = O_CLOEXEC },
	};

	return test_cmd(f, &cmd);
}

static int dmabuf_revoke(struct ifd *f, int fd, bool revoked)
{
	struct iommu_test_cmd cmd = {
		.op = IOMMU_TEST_OP_DMABUF_REVOKE,
		.dmabuf_revoke = { .dmabuf_fd = fd, .revoked = revoked },
	};

	return test_cmd(f, &cmd);
}

static int map_file(struct ifd *f, u32 ioas, int fd, u64 start, u64 length)
{
	struct iommu_ioas_map_file cmd = {
		.size = sizeof(cmd),
		.flags = RW,
		.ioas_id = ioas,
		.fd = fd,
		.start = start,
		.length = length,
	};

	return ifd_ioctl(f, IOMMU_IOAS_MAP_FILE, &cmd);
}

/* ALIGN(len, PAGE_SIZE), then "len == 0 || len > PAGE_SIZE * 512":
 * -EINVAL with no fd installed */
static void dmabuf_get_refuses_empty_or_over_512_pages(void **state)
{
	struct ifd *f = *state;

	assert_int_equal(-EINVAL, dmabuf_get(f, 0));
	assert_int_equal(-EINVAL, dmabuf_get(f, 512 * PAGE_SIZE + 1));
	assert_null(process_file_at(f->task, FIRST_FD));
	assert_int_equal(0, dmabuf_get(f, 512 * PAGE_SIZE));
}

/* 7.3's bug: dma_buf_fd() installs the fd, then the op returns 0; the
 * buffer is the length rounded up to a page */
static void dmabuf_get_returns_0_not_the_fd_it_installs(void **state)
{
	struct ifd *f = *state;
	struct file *file;

	assert_int_equal(0, dmabuf_get(f, 1));
	file = process_file_at(f->task, FIRST_FD);
	assert_true(is_dma_buf_file(file));
	assert_int_equal(PAGE_SIZE,
			 ((struct dma_buf *)file->private_data)->size);
	assert_int_equal(0, process_close_fd(f->task, FIRST_FD));
}

/* dma_buf_get(): no file -EBADF, a file that is not a dma-buf -EINVAL */
static void dmabuf_revoke_needs_a_dma_buf_fd(void **state)
{
	struct ifd *f = *state;
	u64 pa = 0x10000000;
	int memfd = process_memfd_create(f->task, PAGE_SIZE, &pa);

	assert_int_equal(-EBADF, dmabuf_revoke(f, 42, true));
	assert_int_equal(-EINVAL, dmabuf_revoke(f, memfd, true));
	assert_int_equal(0, dmabuf_get(f, PAGE_SIZE));
	assert_int_equal(0, dmabuf_revoke(f, memfd + 1, true));
	assert_int_equal(0, dmabuf_revoke(f, memfd + 1, false));
}

/* iopt_alloc_dmabuf_pages(): "dmabuf->size <= start + length - 1" is
 * -EINVAL; iommufd_test_dma_buf_iommufd_map() of a revoked buffer is
 * -ENODEV; a range inside a live buffer passes every 7.3 check and stops
 * at the model's limit (the dma-buf area): -EOPNOTSUPP */
static void map_file_of_a_dma_buf_checks_its_size_and_revoke(void **state)
{
	struct ifd *f = *state;
	u32 ioas = ioas_alloc(f);

	assert_int_equal(0, dmabuf_get(f, 4 * PAGE_SIZE));
	assert_int_equal(-EINVAL, map_file(f, ioas, FIRST_FD, 0, 0));
	assert_int_equal(-EINVAL, map_file(f, ioas, FIRST_FD, 4 * PAGE_SIZE,
					   4 * PAGE_SIZE));
	assert_int_equal(-EINVAL,
			 map_file(f, ioas, FIRST_FD, 0, 4 * PAGE_SIZE + 1));
	assert_int_equal(-EOPNOTSUPP,
			 map_file(f, ioas, FIRST_FD, 0, 4 * PAGE_SIZE));
	assert_int_equal(0, dmabuf_revoke(f, FIRST_FD, true));
	assert_int_equal(-ENODEV,
			 map_file(f, ioas, FIRST_FD, 0, 4 * PAGE_SIZE));
	/* the checks took and dropped their references: the fd's is left */
	assert_int_equal(1, process_file_at(f->task, FIRST_FD)->refs);
}

/* what the selftest does with fd 0 on the guest: a file that is neither
 * a dma-buf nor shmem is accepted by iopt_alloc_file_pages() and only
 * refused by memfd_pin_folios() (-EINVAL) once a domain pins it */
static void map_file_of_another_file_fails_only_when_pinned(void **state)
{
	struct ifd *f = *state;
	u32 no_domain = ioas_alloc(f), mock = ioas_alloc(f);
	struct file *tty = anon_inode_getfile("console", NULL, NULL);
	int fd = process_fd_install(f->task, tty);
	struct iommu_test_cmd md = {
		.op = IOMMU_TEST_OP_MOCK_DOMAIN,
		.id = mock,
	};

	assert_int_equal(
		0, map_file(f, no_domain, fd, 4 * PAGE_SIZE, 4 * PAGE_SIZE));
	assert_int_equal(-EINVAL, dmabuf_revoke(f, fd, true));
	assert_int_equal(0, test_cmd(f, &md));
	assert_int_equal(-EINVAL, map_file(f, mock, fd, 0, 4 * PAGE_SIZE));
}

/* state.c and state_hash.c tell a revoked dma-buf from a live one (a
 * later MAP_FILE of it differs: -ENODEV), as an explorer must */
static void revoking_a_dma_buf_changes_the_process_state(void **state)
{
	struct ifd *f = *state;
	g_autofree char *live = NULL, *revoked = NULL;
	u64 live_hash;

	assert_int_equal(0, dmabuf_get(f, PAGE_SIZE));
	live = process_state_snapshot(f->task);
	live_hash = process_state_hash(f->task, 0);
	assert_non_null(strstr(live, "fd 3 dmabuf 0x1000 bytes\n"));
	assert_int_equal(0, dmabuf_revoke(f, FIRST_FD, true));
	revoked = process_state_snapshot(f->task);
	assert_non_null(strstr(revoked, "fd 3 dmabuf 0x1000 bytes revoked\n"));
	assert_true(live_hash != process_state_hash(f->task, 0));
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, ifd_setup, ifd_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(dmabuf_get_refuses_empty_or_over_512_pages),
		T(dmabuf_get_returns_0_not_the_fd_it_installs),
		T(dmabuf_revoke_needs_a_dma_buf_fd),
		T(map_file_of_a_dma_buf_checks_its_size_and_revoke),
		T(map_file_of_another_file_fails_only_when_pinned),
		T(revoking_a_dma_buf_changes_the_process_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
