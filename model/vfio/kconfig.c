// SPDX-License-Identifier: MIT
/*
 * kconfig.c - the VFIO and IOMMUFD symbols of Linux 7.3 resolved as
 * `merge_config.sh` + `make olddefconfig` would: drivers/vfio/Kconfig
 * (VFIO, VFIO_DEVICE_CDEV, VFIO_GROUP, VFIO_CONTAINER, VFIO_NOIOMMU) and
 * drivers/iommu/iommufd/Kconfig (IOMMUFD, IOMMUFD_NOIOMMU,
 * IOMMUFD_VFIO_CONTAINER); GENERIC_ATOMIC64 is the architecture's (x86_64
 * does not select it; 32-bit architectures do); DEBUG_GENERIC_PT is
 * drivers/iommu/generic_pt/Kconfig's (bool, default n, inside `if
 * GENERIC_PT`, which IOMMU_PT_AMDV1 and so AMD_IOMMU select).
 *
 * Each symbol is settled in dependency order: a select forces y (a
 * request for n is then impossible), an unmet `depends on` forces n (a
 * request for y is impossible), otherwise the request, else the base
 * fragment's value (the guest's), else the Kconfig default. Impossible
 * requests are refused naming the dependency: a kernel built from that
 * fragment would not have the option the scenario asked for.
 * Tristates are modelled built in (y); SPAPR_TCE_IOMMU is n (x86).
 */
#include <string.h>

#include "vfio/vfio_private.h"

static const char *const names[KS_NR] = {
	[KS_VFIO] = "VFIO",
	[KS_VFIO_GROUP] = "VFIO_GROUP",
	[KS_VFIO_CONTAINER] = "VFIO_CONTAINER",
	[KS_IOMMUFD_VFIO_CONTAINER] = "IOMMUFD_VFIO_CONTAINER",
	[KS_VFIO_DEVICE_CDEV] = "VFIO_DEVICE_CDEV",
	[KS_VFIO_NOIOMMU] = "VFIO_NOIOMMU",
	[KS_IOMMUFD_NOIOMMU] = "IOMMUFD_NOIOMMU",
	[KS_GENERIC_ATOMIC64] = "GENERIC_ATOMIC64",
	[KS_IOMMUFD] = "IOMMUFD",
	[KS_DEBUG_GENERIC_PT] = "DEBUG_GENERIC_PT",
};

/* The guest's fragment (hw/, ../shared/REFERENCE.md); -1: not in it, the
 * Kconfig default applies. */
static const signed char base[KS_NR] = {
	[KS_VFIO] = 1,
	[KS_VFIO_GROUP] = 1,
	[KS_VFIO_CONTAINER] = 1,
	[KS_IOMMUFD_VFIO_CONTAINER] = -1,
	[KS_VFIO_DEVICE_CDEV] = 1,
	[KS_VFIO_NOIOMMU] = 1,
	[KS_IOMMUFD_NOIOMMU] = -1,
	[KS_GENERIC_ATOMIC64] = 0,
	[KS_IOMMUFD] = 1,
	[KS_DEBUG_GENERIC_PT] = -1,
};

const char *vfio_ksym_name(enum vfio_ksym s)
{
	return s < KS_NR ? names[s] : "?";
}

int vfio_ksym_lookup(const char *name)
{
	if (!strncmp(name, "CONFIG_", 7))
		name += 7;
	for (int i = 0; i < KS_NR; i++) {
		if (!strcmp(name, names[i]))
			return i;
	}
	return -1;
}

void vfio_kconfig_req_init(struct vfio_kconfig_req *req)
{
	memset(req->v, -1, sizeof(req->v));
}

struct settle {
	const struct vfio_kconfig_req *req;
	/* VFIO_NOIOMMU's `depends on`: the profile's (profile.h) */
	bool (*noiommu_depends)(const bool *y, const char **dep);
	struct vfio_kconfig *out;
	char **why;
};

/*
 * One symbol: @selected (and by whom, @sel), else @visible (its
 * `depends on`, @dep), else the request, the base, or @def.
 */
static int settle(struct settle *s, enum vfio_ksym k, bool visible,
		  const char *dep, bool selected, const char *sel, bool def)
{
	signed char want = s->req->v[k];

	if (selected) {
		s->out->y[k] = true;
		if (want == 0)
			goto bad_select;
		return 0;
	}
	if (!visible) {
		s->out->y[k] = false;
		if (want == 1)
			goto bad_depends;
		return 0;
	}
	s->out->y[k] = want >= 0 ? want : base[k] >= 0 ? base[k] : def;
	return 0;

bad_select:
	*s->why = g_strdup_printf("%s=n is impossible: %s", names[k], sel);
	return -EINVAL;
bad_depends:
	*s->why = g_strdup_printf("%s=y is impossible: it depends on %s",
				  names[k], dep);
	return -EINVAL;
}

/* VFIO, VFIO_GROUP, VFIO_DEVICE_CDEV, VFIO_CONTAINER */
static int settle_vfio(struct settle *s, const bool *y)
{
	int rc;

	/* depends on IOMMUFD || !IOMMUFD: always met for built-in symbols */
	rc = settle(s, KS_VFIO, true, "", false, "", false);
	if (!rc)
		rc = settle(s, KS_VFIO_GROUP, y[KS_VFIO], "VFIO (if VFIO)",
			    y[KS_VFIO] && !y[KS_IOMMUFD],
			    "VFIO selects VFIO_GROUP if IOMMUFD=n", true);
	if (!rc)
		rc = settle(s, KS_VFIO_DEVICE_CDEV, y[KS_VFIO] && y[KS_IOMMUFD],
			    "VFIO (if VFIO) && IOMMUFD && !SPAPR_TCE_IOMMU",
			    y[KS_VFIO] && !y[KS_VFIO_GROUP],
			    "VFIO selects VFIO_DEVICE_CDEV if !VFIO_GROUP",
			    !y[KS_VFIO_GROUP]);
	if (!rc)
		rc = settle(s, KS_VFIO_CONTAINER, y[KS_VFIO_GROUP],
			    "VFIO_GROUP", y[KS_VFIO] && !y[KS_IOMMUFD],
			    "VFIO selects VFIO_CONTAINER if IOMMUFD=n", true);
	return rc;
}

/* Linux 7.3's `config VFIO_NOIOMMU` dependencies (both lines) */
bool linux73_vfio_noiommu_depends(const bool *y, const char **dep)
{
	bool cdev_noiommu = y[KS_VFIO_DEVICE_CDEV] && !y[KS_GENERIC_ATOMIC64];

	*dep = "VFIO_GROUP || (VFIO_DEVICE_CDEV && !GENERIC_ATOMIC64), and "
	       "!VFIO_GROUP || VFIO_CONTAINER || IOMMUFD_VFIO_CONTAINER";
	return y[KS_VFIO] && (y[KS_VFIO_GROUP] || cdev_noiommu) &&
	       (!y[KS_VFIO_GROUP] || y[KS_VFIO_CONTAINER] ||
		y[KS_IOMMUFD_VFIO_CONTAINER]);
}

/* IOMMUFD_VFIO_CONTAINER, VFIO_NOIOMMU, IOMMUFD_NOIOMMU */
static int settle_noiommu(struct settle *s, const bool *y)
{
	bool compat_ok =
		y[KS_IOMMUFD] && y[KS_VFIO_GROUP] && !y[KS_VFIO_CONTAINER];
	bool cdev_noiommu = y[KS_VFIO_DEVICE_CDEV] && !y[KS_GENERIC_ATOMIC64];
	const char *dep = "";
	bool visible;
	int rc;

	rc = settle(s, KS_IOMMUFD_VFIO_CONTAINER, compat_ok,
		    "IOMMUFD (if IOMMUFD) && VFIO_GROUP && !VFIO_CONTAINER",
		    false, "", compat_ok);
	if (rc)
		return rc;
	visible = s->noiommu_depends(y, &dep);
	rc = settle(s, KS_VFIO_NOIOMMU, visible, dep, false, "", false);
	if (rc)
		return rc;
	/* no prompt: only VFIO_NOIOMMU's select sets it */
	rc = settle(s, KS_IOMMUFD_NOIOMMU, false,
		    "nothing a user can set: it has no prompt, VFIO_NOIOMMU "
		    "selects it if VFIO_DEVICE_CDEV && !GENERIC_ATOMIC64",
		    y[KS_VFIO_NOIOMMU] && cdev_noiommu,
		    "VFIO_NOIOMMU selects IOMMUFD_NOIOMMU if VFIO_DEVICE_CDEV "
		    "&& !GENERIC_ATOMIC64",
		    false);
	return rc;
}

int vfio_kconfig_resolve(const struct vfio_kconfig_req *req,
			 struct vfio_kconfig *out, char **why)
{
	return vfio_kconfig_resolve_in(&profile_linux_7_3, req, out, why);
}

int vfio_kconfig_resolve_in(const struct iommu_profile *p,
			    const struct vfio_kconfig_req *req,
			    struct vfio_kconfig *out, char **why)
{
	struct iommu_profile_resolved pr;
	struct vfio_kconfig r = { 0 };
	struct settle s = { .req = req, .out = &r, .why = why };
	int rc;

	*why = NULL;
	if (iommu_profile_resolve(p, &pr))
		return -EINVAL;
	s.noiommu_depends = pr.vfio.noiommu_depends;
	rc = settle(&s, KS_GENERIC_ATOMIC64, true, "", false, "", false);
	if (!rc)
		rc = settle(&s, KS_IOMMUFD, true, "", false, "", false);
	if (!rc)
		rc = settle(&s, KS_DEBUG_GENERIC_PT, true, "", false, "",
			    false);
	if (!rc)
		rc = settle_vfio(&s, r.y);
	if (!rc)
		rc = settle_noiommu(&s, r.y);
	if (rc)
		return rc;
	*out = r;
	return 0;
}
