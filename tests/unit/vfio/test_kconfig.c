// SPDX-License-Identifier: MIT
/*
 * test_kconfig.c - model/vfio/kconfig.c against Linux 7.3's
 * drivers/vfio/Kconfig and drivers/iommu/iommufd/Kconfig: selects force
 * y, unmet dependencies force n, and a request Kconfig could not honour
 * is refused naming the dependency.
 */
#include "fx_vfio.h"

struct kv {
	const char *sym;
	int val;
};

/* Resolve the request @kvs (NULL-terminated); *why on refusal. */
static int resolve(const struct kv *kvs, struct vfio_kconfig *out, char **why)
{
	struct vfio_kconfig_req req;

	vfio_kconfig_req_init(&req);
	for (; kvs && kvs->sym; kvs++)
		req.v[vfio_ksym_lookup(kvs->sym)] = (signed char)kvs->val;
	return vfio_kconfig_resolve(&req, out, why);
}

static struct vfio_kconfig ok(const struct kv *kvs)
{
	struct vfio_kconfig out;
	char *why = NULL;

	assert_int_equal(0, resolve(kvs, &out, &why));
	assert_null(why);
	return out;
}

static char *refused(const struct kv *kvs)
{
	struct vfio_kconfig out;
	char *why = NULL;

	assert_int_equal(-EINVAL, resolve(kvs, &out, &why));
	assert_non_null(why);
	return why;
}

/* The guest's fragment: IOMMUFD_VFIO_CONTAINER's default is VFIO_GROUP
 * && !VFIO_CONTAINER (n); VFIO_NOIOMMU selects IOMMUFD_NOIOMMU (cdev on,
 * x86_64 has no GENERIC_ATOMIC64) - REFERENCE.md: IOMMUFD_NOIOMMU=y */
static void base_config_is_the_guests(void **state)
{
	struct vfio_kconfig c = ok(NULL);

	(void)state;
	assert_true(c.y[KS_VFIO] && c.y[KS_VFIO_GROUP] &&
		    c.y[KS_VFIO_CONTAINER] && c.y[KS_VFIO_DEVICE_CDEV] &&
		    c.y[KS_VFIO_NOIOMMU] && c.y[KS_IOMMUFD]);
	assert_false(c.y[KS_IOMMUFD_VFIO_CONTAINER]);
	assert_true(c.y[KS_IOMMUFD_NOIOMMU]);
	assert_false(c.y[KS_GENERIC_ATOMIC64]);
}

/* IOMMUFD_VFIO_CONTAINER: default VFIO_GROUP && !VFIO_CONTAINER */
static void container_off_makes_iommufd_provide_dev_vfio_vfio(void **state)
{
	struct vfio_kconfig c =
		ok((struct kv[]){ { "VFIO_CONTAINER", 0 }, { 0 } });

	(void)state;
	assert_true(c.y[KS_IOMMUFD_VFIO_CONTAINER]);
	assert_true(c.y[KS_VFIO_NOIOMMU]);
}

/* VFIO: select VFIO_DEVICE_CDEV if !VFIO_GROUP; VFIO_CONTAINER depends
 * on VFIO_GROUP; VFIO_NOIOMMU via VFIO_DEVICE_CDEV && !GENERIC_ATOMIC64 */
static void group_off_selects_cdev_and_keeps_cdev_noiommu(void **state)
{
	struct vfio_kconfig c = ok((struct kv[]){
		{ "VFIO_GROUP", 0 }, { "VFIO_DEVICE_CDEV", 1 }, { 0 } });

	(void)state;
	assert_true(c.y[KS_VFIO_DEVICE_CDEV]);
	assert_false(c.y[KS_VFIO_CONTAINER]);
	assert_false(c.y[KS_IOMMUFD_VFIO_CONTAINER]);
	assert_true(c.y[KS_VFIO_NOIOMMU]);
	assert_true(c.y[KS_IOMMUFD_NOIOMMU]);
}

static void group_off_refuses_cdev_off(void **state)
{
	g_autofree char *why = refused((struct kv[]){
		{ "VFIO_GROUP", 0 }, { "VFIO_DEVICE_CDEV", 0 }, { 0 } });

	(void)state;
	assert_non_null(strstr(why, "VFIO_DEVICE_CDEV=n"));
	assert_non_null(strstr(why, "if !VFIO_GROUP"));
}

/* VFIO_NOIOMMU depends on VFIO_GROUP || (VFIO_DEVICE_CDEV &&
 * !GENERIC_ATOMIC64): the base's y drops silently, a request is refused */
static void atomic64_without_group_has_no_noiommu(void **state)
{
	struct vfio_kconfig c = ok((struct kv[]){
		{ "VFIO_GROUP", 0 }, { "GENERIC_ATOMIC64", 1 }, { 0 } });
	g_autofree char *why = refused((struct kv[]){ { "VFIO_GROUP", 0 },
						      { "GENERIC_ATOMIC64", 1 },
						      { "VFIO_NOIOMMU", 1 },
						      { 0 } });

	(void)state;
	assert_false(c.y[KS_VFIO_NOIOMMU]);
	assert_false(c.y[KS_IOMMUFD_NOIOMMU]);
	assert_non_null(strstr(why, "VFIO_NOIOMMU=y is impossible"));
	assert_non_null(strstr(why, "!GENERIC_ATOMIC64"));
}

/* With the group, GENERIC_ATOMIC64 only loses the cdev side */
static void atomic64_with_group_keeps_group_noiommu_only(void **state)
{
	struct vfio_kconfig c =
		ok((struct kv[]){ { "GENERIC_ATOMIC64", 1 }, { 0 } });

	(void)state;
	assert_true(c.y[KS_VFIO_NOIOMMU]);
	assert_false(c.y[KS_IOMMUFD_NOIOMMU]);
}

/* VFIO_NOIOMMU depends on !VFIO_GROUP || VFIO_CONTAINER ||
 * IOMMUFD_VFIO_CONTAINER */
static void group_without_any_container_refuses_noiommu(void **state)
{
	g_autofree char *why =
		refused((struct kv[]){ { "VFIO_CONTAINER", 0 },
				       { "IOMMUFD_VFIO_CONTAINER", 0 },
				       { "VFIO_NOIOMMU", 1 },
				       { 0 } });

	(void)state;
	assert_non_null(strstr(why, "IOMMUFD_VFIO_CONTAINER"));
}

/* VFIO: select VFIO_GROUP / VFIO_CONTAINER if IOMMUFD=n; VFIO_DEVICE_CDEV
 * depends on IOMMUFD */
static void iommufd_off_selects_group_and_container(void **state)
{
	struct vfio_kconfig c = ok((struct kv[]){ { "IOMMUFD", 0 }, { 0 } });
	g_autofree char *why1 = refused(
		(struct kv[]){ { "IOMMUFD", 0 }, { "VFIO_GROUP", 0 }, { 0 } });
	g_autofree char *why2 = refused((struct kv[]){
		{ "IOMMUFD", 0 }, { "VFIO_DEVICE_CDEV", 1 }, { 0 } });

	(void)state;
	assert_true(c.y[KS_VFIO_GROUP] && c.y[KS_VFIO_CONTAINER]);
	assert_false(c.y[KS_VFIO_DEVICE_CDEV]);
	assert_false(c.y[KS_IOMMUFD_NOIOMMU]);
	assert_non_null(strstr(why1, "VFIO selects VFIO_GROUP if IOMMUFD=n"));
	assert_non_null(strstr(why2, "depends on"));
}

/* IOMMUFD_VFIO_CONTAINER depends on VFIO_GROUP && !VFIO_CONTAINER */
static void both_containers_are_refused(void **state)
{
	g_autofree char *why = refused(
		(struct kv[]){ { "IOMMUFD_VFIO_CONTAINER", 1 }, { 0 } });

	(void)state;
	assert_non_null(strstr(why, "!VFIO_CONTAINER"));
}

/* IOMMUFD_NOIOMMU has no prompt */
static void iommufd_noiommu_is_only_selected(void **state)
{
	g_autofree char *why = refused((struct kv[]){
		{ "VFIO_DEVICE_CDEV", 0 }, { "IOMMUFD_NOIOMMU", 1 }, { 0 } });
	g_autofree char *why2 =
		refused((struct kv[]){ { "IOMMUFD_NOIOMMU", 0 }, { 0 } });

	(void)state;
	assert_non_null(strstr(why, "no prompt"));
	assert_non_null(strstr(why2, "VFIO_NOIOMMU selects IOMMUFD_NOIOMMU"));
}

/* VFIO=n: everything inside `if VFIO` is n */
static void vfio_off_turns_off_its_menu(void **state)
{
	struct vfio_kconfig c = ok((struct kv[]){ { "VFIO", 0 }, { 0 } });
	g_autofree char *why = refused(
		(struct kv[]){ { "VFIO", 0 }, { "VFIO_NOIOMMU", 1 }, { 0 } });

	(void)state;
	assert_false(c.y[KS_VFIO_GROUP] || c.y[KS_VFIO_CONTAINER] ||
		     c.y[KS_VFIO_DEVICE_CDEV] || c.y[KS_VFIO_NOIOMMU]);
	assert_true(c.y[KS_IOMMUFD]);
	/* asking for one of them anyway is refused, naming it */
	assert_non_null(strstr(why, "VFIO_NOIOMMU=y is impossible"));
}

static void symbols_are_found_with_or_without_config_prefix(void **state)
{
	(void)state;
	assert_int_equal(KS_VFIO_NOIOMMU, vfio_ksym_lookup("VFIO_NOIOMMU"));
	assert_int_equal(KS_IOMMUFD, vfio_ksym_lookup("CONFIG_IOMMUFD"));
	assert_int_equal(-1, vfio_ksym_lookup("VFIO_PCI"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(base_config_is_the_guests),
		cmocka_unit_test(
			container_off_makes_iommufd_provide_dev_vfio_vfio),
		cmocka_unit_test(group_off_selects_cdev_and_keeps_cdev_noiommu),
		cmocka_unit_test(group_off_refuses_cdev_off),
		cmocka_unit_test(atomic64_without_group_has_no_noiommu),
		cmocka_unit_test(atomic64_with_group_keeps_group_noiommu_only),
		cmocka_unit_test(group_without_any_container_refuses_noiommu),
		cmocka_unit_test(iommufd_off_selects_group_and_container),
		cmocka_unit_test(both_containers_are_refused),
		cmocka_unit_test(iommufd_noiommu_is_only_selected),
		cmocka_unit_test(vfio_off_turns_off_its_menu),
		cmocka_unit_test(
			symbols_are_found_with_or_without_config_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
