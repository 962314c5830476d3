// SPDX-License-Identifier: MIT
/*
 * consumer.c - a program outside the tree, built against the installed
 * libiommusim with pkg-config (tests/tools/install.sh): it uses the model
 * directly and runs a scenario through the library's runner. Expected
 * values come from Linux 7.3's drivers/iommu/iommu.c:
 *  - iommu_device_use_default_domain(): a DMA-API driver's bind takes the
 *    group's owner_cnt to 1;
 *  - iommu_device_claim_dma_owner(): owner_cnt != 0 with another owner
 *    -> -EPERM; with the driver gone the claim succeeds and the group
 *    moves to its blocking domain (__iommu_take_dma_ownership()).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <iommusim.h>
#include <model/iommu.h>
#include <model/profile_api.h>
#include <run.h>

#define EXPECT(want, got)                                                      \
	do {                                                                   \
		long long w_ = (want), g_ = (got);                             \
		if (w_ != g_) {                                                \
			fprintf(stderr,                                        \
				"%s:%d: %s: expected %lld, got %lld\n",        \
				__FILE__, __LINE__, #got, w_, g_);             \
			return 1;                                              \
		}                                                              \
	} while (0)

static int use_the_model(void)
{
	struct iommu_model *m =
		iommu_model_new(iommu_profile_find("linux-7.3"));
	struct device *rp, *nic;
	struct device_driver *e1000e;

	iommu_device_add(m, "iommu0", IOMMU_DRV_AMD_VI);
	rp = device_add(m, "rp0", DEV_PCIE_ROOT_PORT, NULL, 0x1c << 3);
	rp->acs = true;
	nic = device_add(m, "nic", DEV_PCI, rp, 0);
	e1000e = driver_register(m, "e1000e", false);
	EXPECT(0, iommu_model_boot(m));
	EXPECT(0, device_driver_attach(m, nic, e1000e));
	EXPECT(1, nic->iommu_group->owner_cnt);
	EXPECT(-EPERM,
	       iommu_device_claim_dma_owner(m, nic, iommu_cookie(m, "vfio")));
	EXPECT(0, device_driver_detach(m, nic));
	EXPECT(0,
	       iommu_device_claim_dma_owner(m, nic, iommu_cookie(m, "vfio")));
	EXPECT(1,
	       nic->iommu_group->domain == nic->iommu_group->blocking_domain);
	iommu_model_free(m);
	return 0;
}

static const char scenario[] =
	"iommu driver=amd-vi\n"
	"pcie_root_port name=rp0 addr=1c.0 acs=1\n"
	"pci_device name=nic addr=00.0 parent=rp0\n"
	"boot\n"
	"driver_bind dev=nic driver=e1000e => ok\n"
	"iommu_device_claim_dma_owner dev=nic owner=vfio => EPERM\n";

static int use_the_runner(void)
{
	GError *err = NULL;
	struct scenario *sc = scenario_parse("inline.scn", scenario, &err);
	struct run_opts opts = { .profile = "linux-7.3" };
	struct run_result *rr;

	if (!sc) {
		fprintf(stderr, "%s\n", err->message);
		return 1;
	}
	rr = scenario_run(sc, &opts, &err);
	if (!rr) {
		fprintf(stderr, "%s\n", err->message);
		return 1;
	}
	EXPECT(6, rr->steps->len);
	EXPECT(0, rr->failures);
	run_result_free(rr);
	scenario_free(sc);
	return 0;
}

int main(void)
{
	if (strcmp(iommusim_version(), IOMMUSIM_VERSION)) {
		fprintf(stderr, "header %s, library %s\n", IOMMUSIM_VERSION,
			iommusim_version());
		return 1;
	}
	if (use_the_model() || use_the_runner())
		return 1;
	printf("consumer: libiommusim %s works\n", iommusim_version());
	return 0;
}
