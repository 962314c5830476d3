// SPDX-License-Identifier: MIT
/*
 * test_container.c - /dev/vfio/vfio as the native container (container.c
 * vfio_fops_unl_ioctl(), vfio_container_ioctl_check_extension(),
 * vfio_ioctl_set_iommu()) and as iommufd's (IOMMUFD_VFIO_CONTAINER:
 * vfio_compat.c iommufd_vfio_ioctl()): where their answers differ.
 */
#include "fx_vfio.h"

static int ul(struct fx *f, struct vfio_file *cf, unsigned int cmd,
	      unsigned long arg)
{
	return fx_ioctl(f, cf, cmd, &arg, sizeof(arg));
}

static struct fx *boot_compat(bool noiommu)
{
	struct vfio_kconfig_req req;

	vfio_kconfig_req_init(&req);
	req.v[KS_VFIO_CONTAINER] = 0;
	return fx_boot(&req, noiommu);
}

/* Native: VFIO_NOIOMMU_IOMMU answers vfio_noiommu (the parameter, read at
 * the ioctl: vfio_noiommu_ioctl()); compat: IS_ENABLED(VFIO_NOIOMMU) */
static void
noiommu_extension_follows_param_natively_config_in_compat(void **state)
{
	struct fx *native = fx_boot(NULL, false), *compat = boot_compat(false);
	struct vfio_file *n = fx_open(native, "/dev/vfio/vfio");
	struct vfio_file *c = fx_open(compat, "/dev/vfio/vfio");

	(void)state;
	assert_int_equal(VFIO_FILE_CONTAINER, vfio_file_kind(c));
	assert_int_equal(
		0, ul(native, n, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
	assert_int_equal(
		1, ul(compat, c, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
	assert_int_equal(0, vfio_set_noiommu_param(native->m, true));
	assert_int_equal(
		1, ul(native, n, VFIO_CHECK_EXTENSION, VFIO_NOIOMMU_IOMMU));
	/* both: the API version, TYPE1v2 on a fresh container */
	assert_int_equal(0, ul(native, n, VFIO_GET_API_VERSION, 0));
	assert_int_equal(0, ul(compat, c, VFIO_GET_API_VERSION, 0));
	assert_int_equal(
		1, ul(native, n, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	assert_int_equal(
		1, ul(compat, c, VFIO_CHECK_EXTENSION, VFIO_TYPE1v2_IOMMU));
	/* SET_IOMMU without a group: native -EINVAL (empty group_list),
	 * compat -ENODEV (no compat IOAS) */
	assert_int_equal(-EINVAL,
			 ul(native, n, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	assert_int_equal(-ENODEV,
			 ul(compat, c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	/* an unknown command: native -EINVAL without a driver, compat
	 * -ENOIOCTLCMD (-ENOTTY) */
	assert_int_equal(-EINVAL, ul(native, n, VFIO_IOMMU_GET_INFO, 0));
	assert_int_equal(-ENOTTY, ul(compat, c, VFIO_IO(60), 0));
	vfio_close(n);
	vfio_close(c);
	fx_free((void **)&native);
	fx_free((void **)&compat);
}

/* iommufd_fops_open() on /dev/vfio/vfio accounts like type1 (locked_vm);
 * MAP_DMA/UNMAP_DMA go to the compat IOAS, UNMAP_FLAG_ALL needs iova and
 * size 0, the unmapped length comes back */
static void compat_container_maps_through_the_compat_ioas(void **state)
{
	struct fx *f = boot_compat(false);
	struct vfio_file *cf, *gf, *df;
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = 0x10000000,
		.iova = 0x100000,
		.size = 0x2000,
	};
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.flags = VFIO_DMA_UNMAP_FLAG_ALL,
		.size = 1,
	};
	g_autofree char *gp = NULL;

	*state = f;
	assert_int_equal(0, process_mmap_contig(f->root, 0x10000000, 0x10000,
						0x40000000, true));
	assert_int_equal(0, fx_bind_vfio(f, f->c));
	cf = fx_open(f, "/dev/vfio/vfio");
	assert_int_equal(IOPT_PAGES_ACCOUNT_MM, cf->ictx->account_mode);
	assert_int_equal(-ENODEV, fx_ioctl(f, cf, VFIO_IOMMU_MAP_DMA, &map,
					   sizeof(map)));
	gp = g_strdup_printf("/dev/vfio/%d", f->c->iommu_group->id);
	gf = fx_open(f, gp);
	assert_int_equal(0, fx_ioctl(f, gf, VFIO_GROUP_SET_CONTAINER,
				     &(int){ vfio_file_fd(cf) }, sizeof(int)));
	assert_int_equal(0, ul(f, cf, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	assert_true(vfio_ioctl(gf, f->root, VFIO_GROUP_GET_DEVICE_FD, "c", 2,
			       &df) > 0);
	assert_int_equal(
		0, fx_ioctl(f, cf, VFIO_IOMMU_MAP_DMA, &map, sizeof(map)));
	assert_int_equal(-EINVAL, fx_ioctl(f, cf, VFIO_IOMMU_UNMAP_DMA, &unmap,
					   sizeof(unmap)));
	unmap.size = 0;
	assert_int_equal(0, fx_ioctl(f, cf, VFIO_IOMMU_UNMAP_DMA, &unmap,
				     sizeof(unmap)));
	assert_int_equal(0x2000, unmap.size);
	vfio_close(df);
	vfio_close(gf);
	vfio_close(cf);
}

/* the compat container of @f with c's group set, type1v2 and c's device
 * fd open (attached to the compat IOAS) */
static struct vfio_file *compat_with_device(struct fx *f, struct vfio_file **gf,
					    struct vfio_file **df)
{
	g_autofree char *gp = NULL;
	struct vfio_file *cf;

	assert_int_equal(0, fx_bind_vfio(f, f->c));
	cf = fx_open(f, "/dev/vfio/vfio");
	gp = g_strdup_printf("/dev/vfio/%d", f->c->iommu_group->id);
	*gf = fx_open(f, gp);
	assert_int_equal(0, fx_ioctl(f, *gf, VFIO_GROUP_SET_CONTAINER,
				     &(int){ vfio_file_fd(cf) }, sizeof(int)));
	assert_int_equal(0, ul(f, cf, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU));
	assert_true(vfio_ioctl(*gf, f->root, VFIO_GROUP_GET_DEVICE_FD, "c", 2,
			       df) > 0);
	return cf;
}

/* iommufd_vfio_iommu_get_info(): the chain is written behind the struct
 * (cap_offset sizeof(info) = 24): dma_avail (id 3, avail U32_MAX) at 24,
 * 8-byte aligned, its next 40; iova_range (id 1) at 40 with the IOAS's
 * holes, the last cap's next 0; argsz the whole chain's size. A short
 * argsz gets that size back, cap_offset 0 and nothing written behind */
static void compat_get_info_writes_the_cap_chain(void **state)
{
	struct fx *f = boot_compat(false);
	struct vfio_file *cf, *gf, *df;
	union {
		struct vfio_iommu_type1_info info;
		u8 b[512];
	} u;
	struct vfio_iommu_type1_info_dma_avail avail;
	struct vfio_iommu_type1_info_cap_iova_range iova;

	*state = f;
	cf = compat_with_device(f, &gf, &df);
	memset(&u, 0xaa, sizeof(u));
	u.info.argsz = sizeof(u);
	assert_int_equal(0,
			 fx_ioctl(f, cf, VFIO_IOMMU_GET_INFO, &u, sizeof(u)));
	assert_int_equal(VFIO_IOMMU_INFO_PGSIZES | VFIO_IOMMU_INFO_CAPS,
			 u.info.flags);
	assert_int_equal(24, u.info.cap_offset);
	memcpy(&avail, u.b + 24, sizeof(avail));
	assert_int_equal(VFIO_IOMMU_TYPE1_INFO_DMA_AVAIL, avail.header.id);
	assert_int_equal(1, avail.header.version);
	assert_int_equal(40, avail.header.next);
	assert_int_equal(UINT32_MAX, avail.avail);
	memcpy(&iova, u.b + 40, sizeof(iova));
	assert_int_equal(VFIO_IOMMU_TYPE1_INFO_CAP_IOVA_RANGE, iova.header.id);
	assert_int_equal(0, iova.header.next);
	assert_true(iova.nr_iovas > 0);
	assert_int_equal(40 + sizeof(iova) +
				 iova.nr_iovas * sizeof(struct vfio_iova_range),
			 u.info.argsz);
	memset(&u, 0xaa, sizeof(u));
	u.info.argsz = sizeof(u.info);
	assert_int_equal(0,
			 fx_ioctl(f, cf, VFIO_IOMMU_GET_INFO, &u, sizeof(u)));
	assert_int_equal(0, u.info.cap_offset);
	assert_int_equal(40 + sizeof(iova) +
				 iova.nr_iovas * sizeof(struct vfio_iova_range),
			 u.info.argsz);
	assert_int_equal(0xaa, u.b[24]);
	vfio_close(df);
	vfio_close(gf);
	vfio_close(cf);
}

/* v1 (VFIO_TYPE1_IOMMU, large pages off): an unmap inside a mapping cuts
 * it at the range's ends first (iopt_cut_iova()); a cut that is not page
 * aligned is -EINVAL and unmaps nothing */
static void compat_v1_unmap_cuts_the_mapping_it_is_inside(void **state)
{
	struct fx *f = boot_compat(false);
	struct vfio_file *cf, *gf;
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = 0x10000000,
		.iova = 0x100000,
		.size = 0x4000,
	};
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap) };
	g_autofree char *gp = NULL;

	*state = f;
	assert_int_equal(0, process_mmap_contig(f->root, 0x10000000, 0x10000,
						0x40000000, true));
	assert_int_equal(0, fx_bind_vfio(f, f->c));
	cf = fx_open(f, "/dev/vfio/vfio");
	gp = g_strdup_printf("/dev/vfio/%d", f->c->iommu_group->id);
	gf = fx_open(f, gp);
	assert_int_equal(0, fx_ioctl(f, gf, VFIO_GROUP_SET_CONTAINER,
				     &(int){ vfio_file_fd(cf) }, sizeof(int)));
	assert_int_equal(0, ul(f, cf, VFIO_SET_IOMMU, VFIO_TYPE1_IOMMU));
	assert_int_equal(
		0, fx_ioctl(f, cf, VFIO_IOMMU_MAP_DMA, &map, sizeof(map)));
	unmap.iova = 0x100800;
	unmap.size = 0x800;
	assert_int_equal(-EINVAL, fx_ioctl(f, cf, VFIO_IOMMU_UNMAP_DMA, &unmap,
					   sizeof(unmap)));
	/* the first cut, at 0x100fff, stays (as in 7.3); the second, at
	 * 0x1007ff, is the one refused */
	assert_int_equal(2, cf->ictx->vfio_ioas->iopt.areas->len);
	unmap.iova = 0x101000;
	unmap.size = 0x1000;
	assert_int_equal(0, fx_ioctl(f, cf, VFIO_IOMMU_UNMAP_DMA, &unmap,
				     sizeof(unmap)));
	assert_int_equal(0x1000, unmap.size);
	/* [0x100000, 0x100fff] and [0x102000, 0x103fff] are left */
	assert_int_equal(2, cf->ictx->vfio_ioas->iopt.areas->len);
	assert_int_equal(
		0x100fff,
		iopt_area_last_iova(cf->ictx->vfio_ioas->iopt.areas->pdata[0]));
	assert_int_equal(
		0x102000,
		iopt_area_iova(cf->ictx->vfio_ioas->iopt.areas->pdata[1]));
	unmap.flags = VFIO_DMA_UNMAP_FLAG_ALL;
	unmap.iova = unmap.size = 0;
	assert_int_equal(0, fx_ioctl(f, cf, VFIO_IOMMU_UNMAP_DMA, &unmap,
				     sizeof(unmap)));
	assert_int_equal(0x3000, unmap.size);
	vfio_close(gf);
	vfio_close(cf);
}

/* vfio_iommu_type1_attach_group(): a group whose new domain's aperture
 * (an AMD-Vi of EFR.HATS 0: 48 bits) leaves out a mapping of the
 * container (at 1 << 48, behind a 64-bit one) is refused with -EINVAL
 * (vfio_iommu_aper_conflict()); once the mapping is gone it joins the
 * wider domain, and the IOVA list keeps the narrower bounds
 * (vfio_iommu_aper_resize() before the join): a map there is -EINVAL */
static void
narrower_group_cannot_join_over_a_mapping_and_narrows_the_list(void **state)
{
	struct iommu_model *m = iommu_model_new(&profile_linux_7_3);
	struct iommu_device *narrow;
	struct device *a, *b;
	struct process *root = process_new();
	struct vfio_iommu_type1_dma_map map = {
		sizeof(map), VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		0x10000000, 1ull << 48, 0x200000
	};
	struct vfio_iommu_type1_dma_unmap u = { sizeof(u), 0, 1ull << 48,
						0x200000 };
	unsigned long type1v2 = VFIO_TYPE1v2_IOMMU;
	struct vfio_file *ga = NULL, *gb = NULL, *c = NULL;
	g_autofree char *pa = NULL, *pb = NULL;
	int fd;

	(void)state;
	iommu_device_add(m, "wide", IOMMU_DRV_AMD_VI);
	narrow = iommu_device_add(m, "narrow", IOMMU_DRV_AMD_VI);
	narrow->hats = 0;
	iommu_register_builtin_drivers(m);
	a = device_add(m, "a", DEV_PCI, NULL, 3 << 3);
	b = device_add(m, "b", DEV_PCI, NULL, 4 << 3);
	b->iommu = narrow;
	assert_int_equal(0, iommu_model_boot(m));
	vfio_set_type1_allow_unsafe_interrupts(m, true);
	assert_int_equal(
		0, device_driver_attach(m, a, driver_find(m, "vfio-pci")));
	assert_int_equal(
		0, device_driver_attach(m, b, driver_find(m, "vfio-pci")));
	assert_int_equal(0, process_mmap_contig(root, 0x10000000, 0x200000,
						0x100000000ull, true));
	pa = g_strdup_printf("/dev/vfio/%d", a->iommu_group->id);
	pb = g_strdup_printf("/dev/vfio/%d", b->iommu_group->id);
	assert_int_equal(0, vfio_open(m, root, pa, &ga));
	assert_int_equal(0, vfio_open(m, root, pb, &gb));
	assert_int_equal(0, vfio_open(m, root, "/dev/vfio/vfio", &c));
	fd = vfio_file_fd(c);
	assert_int_equal(0, vfio_ioctl(ga, root, VFIO_GROUP_SET_CONTAINER, &fd,
				       sizeof(fd), NULL));
	assert_int_equal(0, vfio_ioctl(c, root, VFIO_SET_IOMMU, &type1v2,
				       sizeof(type1v2), NULL));
	assert_int_equal(0, vfio_ioctl(c, root, VFIO_IOMMU_MAP_DMA, &map,
				       sizeof(map), NULL));
	assert_int_equal(-EINVAL, vfio_ioctl(gb, root, VFIO_GROUP_SET_CONTAINER,
					     &fd, sizeof(fd), NULL));
	assert_int_equal(0, vfio_ioctl(c, root, VFIO_IOMMU_UNMAP_DMA, &u,
				       sizeof(u), NULL));
	assert_int_equal(0, vfio_ioctl(gb, root, VFIO_GROUP_SET_CONTAINER, &fd,
				       sizeof(fd), NULL));
	assert_ptr_equal(a->iommu_group->domain, b->iommu_group->domain);
	assert_int_equal(-EINVAL, vfio_ioctl(c, root, VFIO_IOMMU_MAP_DMA, &map,
					     sizeof(map), NULL));
	vfio_close(gb);
	vfio_close(ga);
	vfio_close(c);
	assert_null(iommu_check_invariants(m));
	process_free(root);
	iommu_model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			noiommu_extension_follows_param_natively_config_in_compat),
		cmocka_unit_test_teardown(
			compat_container_maps_through_the_compat_ioas, fx_free),
		cmocka_unit_test_teardown(compat_get_info_writes_the_cap_chain,
					  fx_free),
		cmocka_unit_test_teardown(
			compat_v1_unmap_cuts_the_mapping_it_is_inside, fx_free),
		cmocka_unit_test(
			narrower_group_cannot_join_over_a_mapping_and_narrows_the_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
