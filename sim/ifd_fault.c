// SPDX-License-Identifier: MIT
/*
 * ifd_fault.c - the fault queue's file as verbs: read() of its page
 * requests (struct iommu_hwpt_pgfault) and write() of the responses
 * (struct iommu_hwpt_page_response), through the process's file table as
 * a program's read(2)/write(2) go (model/iommufd/eventq.c's fops), and a
 * vEVENTQ's read() of its struct iommufd_vevent_header records. The
 * guest agent does the same on the real fd (hw/agent/eventq.c).
 */
#include <string.h>

#include "runner.h"
#include "model/iommufd/iommufd.h"
#include "model/iommufd/uapi.h"

/* The first request read: its fields as out_<field> */
static void pgfault_outs(struct runner *r, const struct iommu_hwpt_pgfault *pf)
{
	op_out(r, "out_dev_id", NULL, pf->dev_id);
	op_out(r, "out_flags", NULL, pf->flags);
	op_out(r, "out_pasid", NULL, pf->pasid);
	op_out(r, "out_grpid", NULL, pf->grpid);
	op_out(r, "out_perm", NULL, pf->perm);
	op_out(r, "out_addr", NULL, pf->addr);
	op_out(r, "out_cookie", NULL, pf->cookie);
}

/* iommufd_fault_read fd= [count=]: count bytes (one request's by
 * default); out_len the bytes read */
int op_fault_read(struct runner *r, const struct statement *st)
{
	u64 count = arg_num(st, "count", sizeof(struct iommu_hwpt_pgfault));
	u64 len = MAX(count, sizeof(struct iommu_hwpt_pgfault));
	int err = 0;
	/* the caller's memory, charged to the budget (user_buffer()) */
	struct iommu_hwpt_pgfault *buf =
		user_buffer(r, len, "read buffer (count=)", &err);
	ssize_t n;

	if (!buf)
		return err;
	n = process_file_rw(ifd_task(r), (int)handle_num(r, st, "fd"),
			    (uintptr_t)buf, count, false);
	if (n >= 0)
		op_out(r, "out_len", NULL, (u64)n);
	if (n >= (ssize_t)sizeof(*buf))
		pgfault_outs(r, buf);
	user_buffer_free(r, buf, len);
	return n < 0 ? (int)n : 0;
}

/* iommufd_fault_write fd= cookie=C,... [code=] [count=]: one response per
 * cookie, all with code=; count bytes of them (all by default) */
int op_fault_write(struct runner *r, const struct statement *st)
{
	g_autoptr(GArray) cookies = arg_numlist(st, "cookie");
	u64 n = cookies->len;
	g_autofree struct iommu_hwpt_page_response *resp =
		g_new0(struct iommu_hwpt_page_response, n + 1);
	u64 count = arg_num(st, "count", n * sizeof(*resp));
	ssize_t ret;

	for (u64 i = 0; i < n; i++) {
		resp[i].cookie = (u32)g_array_index(cookies, uint64_t, i);
		resp[i].code = (u32)arg_num(st, "code", 0);
	}
	if (count > (n + 1) * sizeof(*resp))
		return -EFAULT; /* past the buffer: copy_from_user() */
	ret = process_file_rw(ifd_task(r), (int)handle_num(r, st, "fd"),
			      (uintptr_t)resp, count, true);
	if (ret < 0)
		return (int)ret;
	op_out(r, "out_len", NULL, (u64)ret);
	return 0;
}

/* iommufd_veventq_read fd= [count=]: count bytes (a header and a
 * selftest event's by default); out_len the bytes read, then the first
 * record's header and the first u32 of its event (out_data) */
int op_veventq_read(struct runner *r, const struct statement *st)
{
	const u64 hdr_size = sizeof(struct iommufd_vevent_header);
	u64 count = arg_num(st, "count", hdr_size + sizeof(u32));
	g_autofree u8 *buf = g_malloc0(count + hdr_size + sizeof(u32));
	struct iommufd_vevent_header hdr;
	u32 data;
	ssize_t n = process_file_rw(ifd_task(r), (int)handle_num(r, st, "fd"),
				    (uintptr_t)buf, count, false);

	if (n < 0)
		return (int)n;
	op_out(r, "out_len", NULL, (u64)n);
	memcpy(&hdr, buf, sizeof(hdr));
	memcpy(&data, buf + hdr_size, sizeof(data));
	if ((u64)n >= hdr_size) {
		op_out(r, "out_flags", NULL, hdr.flags);
		op_out(r, "out_sequence", NULL, hdr.sequence);
	}
	if ((u64)n >= hdr_size + sizeof(data))
		op_out(r, "out_data", NULL, data);
	return 0;
}
