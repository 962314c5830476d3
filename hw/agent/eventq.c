// SPDX-License-Identifier: MIT
/*
 * eventq.c - a fault queue's fd in the guest: iommufd_fault_read reads
 * struct iommu_hwpt_pgfault records, iommufd_fault_write writes struct
 * iommu_hwpt_page_response ones, iommufd_veventq_read reads a vEVENTQ's
 * struct iommufd_vevent_header records, as sim/ifd_fault.c does on the
 * model.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#if __has_include(<linux/iommufd.h>)
#include <linux/iommufd.h>
#endif

#include "agent.h"

#ifdef IOMMU_FAULT_QUEUE_ALLOC
void ifd_fault_read(const struct step *st)
{
	uint64_t count =
		ifd_num(st, "count", sizeof(struct iommu_hwpt_pgfault));
	struct iommu_hwpt_pgfault *buf = calloc(1, count + sizeof(*buf));
	ssize_t n = read((int)ifd_num(st, "fd", -1), buf, count);

	if (n < 0) {
		printf(" -%s", errname(errno));
	} else {
		printf(" 0 out_len=%zd", n);
		if ((size_t)n >= sizeof(*buf))
			printf(" out_dev_id=%u out_flags=%u out_pasid=%u "
			       "out_grpid=%u out_perm=%u out_addr=0x%llx "
			       "out_cookie=%u",
			       buf->dev_id, buf->flags, buf->pasid, buf->grpid,
			       buf->perm, (unsigned long long)buf->addr,
			       buf->cookie);
	}
	free(buf);
}

void ifd_fault_write(const struct step *st)
{
	struct iommu_hwpt_page_response resp[17] = { { 0 } };
	char *v = (char *)ifd_arg(st, "cookie");
	uint64_t n = 0, count;
	ssize_t ret;

	for (; v && *v && n < 16; n++) {
		resp[n].cookie = (uint32_t)strtoull(v, &v, 0);
		resp[n].code = (uint32_t)ifd_num(st, "code", 0);
		if (*v == ',')
			v++;
	}
	count = ifd_num(st, "count", n * sizeof(resp[0]));
	if (count > (n + 1) * sizeof(resp[0])) {
		printf(" -%s", errname(EFAULT));
		return;
	}
	ret = write((int)ifd_num(st, "fd", -1), resp, count);
	if (ret < 0)
		printf(" -%s", errname(errno));
	else
		printf(" 0 out_len=%zd", ret);
}
#else
void ifd_fault_read(const struct step *st)
{
	printf(" unsupported");
}
void ifd_fault_write(const struct step *st)
{
	printf(" unsupported");
}
#endif

#ifdef IOMMU_VEVENTQ_ALLOC
void ifd_veventq_read(const struct step *st)
{
	const size_t hdr_size = sizeof(struct iommufd_vevent_header);
	uint64_t count = ifd_num(st, "count", hdr_size + sizeof(uint32_t));
	unsigned char *buf = calloc(1, count + hdr_size + sizeof(uint32_t));
	ssize_t n = read((int)ifd_num(st, "fd", -1), buf, count);
	struct iommufd_vevent_header hdr;
	uint32_t data;

	memcpy(&hdr, buf, sizeof(hdr));
	memcpy(&data, buf + hdr_size, sizeof(data));
	if (n < 0) {
		printf(" -%s", errname(errno));
	} else {
		printf(" 0 out_len=%zd", n);
		if ((size_t)n >= hdr_size)
			printf(" out_flags=%u out_sequence=%u", hdr.flags,
			       hdr.sequence);
		if ((size_t)n >= hdr_size + sizeof(data))
			printf(" out_data=%u", data);
	}
	free(buf);
}
#else
void ifd_veventq_read(const struct step *st)
{
	printf(" unsupported");
}
#endif
