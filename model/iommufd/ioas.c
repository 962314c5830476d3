// SPDX-License-Identifier: MIT
/*
 * ioas.c - the IOAS object and its ioctls, after Linux 7.3's
 * drivers/iommu/iommufd/ioas.c (and vfio_compat.c's IOMMU_VFIO_IOAS).
 * The flags and reserved-field refusals of each command are its row in
 * main.c's ioctl table; what is left here is each handler's own order of
 * checks, as 7.3 has it.
 */
#include "iommufd/iommufd_private.h"
#include "iommufd/iopt_itree.h"
#include "core/kerrno.h"

/* include/linux/iommu.h: IOMMU_CACHE (conv_iommu_prot() always sets it) */
#ifndef IOMMU_CACHE
#define IOMMU_CACHE (1 << 2)
#endif

void iommufd_ioas_destroy(struct obj_header *obj)
{
	struct iommufd_ioas *ioas = (struct iommufd_ioas *)obj;
	int rc;

	rc = iopt_unmap_all(&ioas->iopt, NULL);
	IOMMU_WARN_ON(ioas->iopt.m, rc && rc != -ENOENT);
	iopt_destroy_table(&ioas->iopt);
	g_ptr_array_free(ioas->hwpt_list, TRUE);
}

int iommufd_ioas_alloc(struct iommufd_ctx *ictx, struct iommufd_ioas **out)
{
	struct iommufd_ioas *ioas;
	int rc;

	rc = _iommufd_object_alloc(ictx, sizeof(*ioas), IOMMUFD_OBJ_IOAS,
				   (void **)&ioas);
	if (rc)
		return rc;
	ioas->ictx = ictx;
	iopt_init_table(&ioas->iopt, ictx->m);
	ioas->hwpt_list = g_ptr_array_new();
	*out = ioas;
	return 0;
}

int iommufd_ioas_alloc_ioctl(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_alloc *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	int rc;

	rc = iommufd_ioas_alloc(ucmd->ictx, &ioas);
	if (rc)
		return rc;
	cmd->out_ioas_id = ioas->obj.id;
	rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (rc)
		goto out_table;
	iommufd_object_finalize(ucmd->ictx, &ioas->obj);
	return 0;

out_table:
	iommufd_object_abort_and_destroy(ucmd->ictx, &ioas->obj);
	return rc;
}

/*
 * IOMMU_IOAS_IOVA_RANGES: the holes of the reserved ranges over the whole
 * IOVA space (the allowed list does not narrow them), as many as the
 * caller's array holds; num_iovas says how many there are, -EMSGSIZE
 * when that is more than it held.
 */
int iommufd_ioas_iova_ranges(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_iova_ranges *cmd = ucmd->cmd;
	struct iopt_itree_hole hole;
	struct iommufd_ioas *ioas;
	u32 max_iovas = cmd->num_iovas;
	int rc = 0;

	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	cmd->num_iovas = 0;
	cmd->out_iova_alignment = ioas->iopt.iova_alignment;
	for (iopt_itree_hole_first(&hole, ioas->iopt.reserved, NULL, 0,
				   IOMMUFD_ULONG_MAX);
	     !hole.done && !rc; iopt_itree_hole_next(&hole)) {
		struct iommu_iova_range elm = { hole.start, hole.last };

		if (cmd->num_iovas < max_iovas)
			rc = process_copy_to_user(ucmd->task,
						  cmd->allowed_iovas +
							  cmd->num_iovas *
								  sizeof(elm),
						  &elm, sizeof(elm));
		cmd->num_iovas++;
	}
	iopt_itree_hole_destroy(&hole);
	if (!rc)
		rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	if (!rc && cmd->num_iovas > max_iovas)
		rc = iommu_refuse(
			ucmd->ictx->m, -EMSGSIZE, "iommufd_ioas_iova_ranges",
			"%u ranges, room for %u", cmd->num_iovas, max_iovas);
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

static gint by_node_start(gconstpointer a, gconstpointer b)
{
	const struct iopt_node *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* iommufd_ioas_load_iovas(): the caller's ranges, each start < last and
 * none overlapping another (-EINVAL), sorted into @out */
static int iommufd_ioas_load_iovas(struct iommufd_ucmd *ucmd, u64 uptr, u32 num,
				   GArray *out)
{
	for (u32 i = 0; i < num; i++) {
		struct iommu_iova_range range;
		struct iopt_node n;

		if (process_copy_from_user(ucmd->task, &range,
					   uptr + i * sizeof(range),
					   sizeof(range)))
			return -EFAULT;
		if (range.start >= range.last)
			return -EINVAL;
		for (unsigned int j = 0; j < out->len; j++) {
			struct iopt_node *o =
				&g_array_index(out, struct iopt_node, j);

			if (o->start <= range.last && range.start <= o->last)
				return -EINVAL;
		}
		if (iommufd_should_fail(ucmd->ictx, "iommufd_ioas_load_iovas"))
			return -ENOMEM;
		n.start = range.start;
		n.last = range.last;
		g_array_append_val(out, n);
	}
	g_array_sort(out, by_node_start);
	return 0;
}

int iommufd_ioas_allow_iovas(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_allow_iovas *cmd = ucmd->cmd;
	GArray *allowed = g_array_new(FALSE, FALSE, sizeof(struct iopt_node));
	struct iommufd_ioas *ioas;
	int rc;

	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas) {
		g_array_free(allowed, TRUE);
		return -ENOENT;
	}
	rc = iommufd_ioas_load_iovas(ucmd, cmd->allowed_iovas, cmd->num_iovas,
				     allowed);
	if (!rc)
		rc = iopt_set_allow_iova(&ioas->iopt,
					 (struct iopt_node *)allowed->data,
					 allowed->len);
	g_array_free(allowed, TRUE);
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

/* conv_iommu_prot(): IOMMU_CACHE always (bind checked coherency) */
static int conv_iommu_prot(u32 map_flags)
{
	int iommu_prot = IOMMU_CACHE;

	if (map_flags & IOMMU_IOAS_MAP_WRITEABLE)
		iommu_prot |= IOMMU_WRITE;
	if (map_flags & IOMMU_IOAS_MAP_READABLE)
		iommu_prot |= IOMMU_READ;
	return iommu_prot;
}

/* The checks MAP, MAP_FILE and COPY share after their flags row:
 * -EOVERFLOW for ULONG_MAX values, -EINVAL without READABLE/WRITEABLE. */
static int check_map_args(struct iommufd_ucmd *ucmd, const char *func,
			  u32 flags, u64 a, u64 b, u64 c)
{
	if (a >= IOMMUFD_ULONG_MAX || b >= IOMMUFD_ULONG_MAX ||
	    c >= IOMMUFD_ULONG_MAX)
		return iommu_refuse(ucmd->ictx->m, -EOVERFLOW, func,
				    "an iova or length is ULONG_MAX or more");
	if (!(flags & (IOMMU_IOAS_MAP_WRITEABLE | IOMMU_IOAS_MAP_READABLE)))
		return iommu_refuse(ucmd->ictx->m, -EINVAL, func,
				    "neither READABLE nor WRITEABLE");
	return 0;
}

static unsigned int iopt_flags(u32 map_flags)
{
	return (map_flags & IOMMU_IOAS_MAP_FIXED_IOVA) ? 0 : IOPT_ALLOC_IOVA;
}

/* The common tail of MAP, MAP_FILE and COPY: the chosen IOVA out. */
static int map_respond(struct iommufd_ucmd *ucmd, struct iommufd_ioas *ioas,
		       int rc, iommufd_u64 *out_iova, u64 iova, size_t cmd_len)
{
	if (!rc) {
		*out_iova = iova;
		rc = iommufd_ucmd_respond(ucmd, cmd_len);
	}
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

int iommufd_ioas_map(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_map *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	u64 iova = cmd->iova;
	int rc;

	rc = check_map_args(ucmd, "iommufd_ioas_map", cmd->flags, cmd->iova,
			    cmd->length, 0);
	if (rc)
		return rc;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	rc = iopt_map_user_pages(ucmd->ictx, &ioas->iopt, ucmd->task, &iova,
				 cmd->user_va, cmd->length,
				 conv_iommu_prot(cmd->flags),
				 iopt_flags(cmd->flags));
	return map_respond(ucmd, ioas, rc, &cmd->iova, iova, sizeof(*cmd));
}

int iommufd_ioas_map_file(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_map_file *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	u64 iova = cmd->iova;
	int rc;

	rc = check_map_args(ucmd, "iommufd_ioas_map_file", cmd->flags,
			    cmd->iova, cmd->length, 0);
	if (rc)
		return rc;
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	rc = iopt_map_file_pages(ucmd->ictx, &ioas->iopt, ucmd->task, &iova,
				 cmd->fd, cmd->start, cmd->length,
				 conv_iommu_prot(cmd->flags),
				 iopt_flags(cmd->flags));
	return map_respond(ucmd, ioas, rc, &cmd->iova, iova, sizeof(*cmd));
}

/*
 * IOMMU_IOAS_COPY: the pages behind a source range (whole areas or parts
 * of them) mapped again in the destination, sharing their pins; the
 * source is let go before the destination is looked up, as 7.3 does.
 * Its row checks late: syzkaller's IOVA form comes first (CONFIG_IOMMUFD_TEST).
 */
int iommufd_ioas_copy(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_copy *cmd = ucmd->cmd;
	struct iommufd_ioas *src_ioas, *dst_ioas;
	GArray *pages_list;
	u64 iova;
	int rc;

	/* before the flags are checked: its flag is not one of the row's */
	iommufd_test_syz_conv_iova_id(ucmd, cmd->src_ioas_id, &cmd->src_iova,
				      &cmd->flags);
	rc = iommufd_ucmd_check(ucmd);
	if (!rc)
		rc = check_map_args(ucmd, "iommufd_ioas_copy", cmd->flags,
				    cmd->length, cmd->src_iova, cmd->dst_iova);
	if (rc)
		return rc;
	src_ioas = iommufd_get_ioas(ucmd->ictx, cmd->src_ioas_id);
	if (!src_ioas)
		return -ENOENT;
	rc = iopt_get_pages(&src_ioas->iopt, cmd->src_iova, cmd->length,
			    &pages_list);
	iommufd_put_object(ucmd->ictx, &src_ioas->obj);
	if (rc)
		return rc;

	dst_ioas = iommufd_get_ioas(ucmd->ictx, cmd->dst_ioas_id);
	if (!dst_ioas) {
		rc = -ENOENT;
		goto out_pages;
	}
	iova = cmd->dst_iova;
	rc = iopt_map_pages(&dst_ioas->iopt, pages_list, cmd->length, &iova,
			    conv_iommu_prot(cmd->flags),
			    iopt_flags(cmd->flags));
	rc = map_respond(ucmd, dst_ioas, rc, &cmd->dst_iova, iova,
			 sizeof(*cmd));
out_pages:
	iopt_free_pages_list(pages_list);
	return rc;
}

/*
 * IOMMU_IOAS_UNMAP: iova 0 with length U64_MAX unmaps everything (and
 * succeeds on an empty IOAS); otherwise whole areas inside the range, and
 * nothing unmapped at all is -ENOENT. The out length is what went.
 */
int iommufd_ioas_unmap(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_unmap *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	u64 unmapped = 0;
	int rc;

	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	if (cmd->iova == 0 && cmd->length == UINT64_MAX) {
		rc = iopt_unmap_all(&ioas->iopt, &unmapped);
	} else if (cmd->iova >= IOMMUFD_ULONG_MAX ||
		   cmd->length >= IOMMUFD_ULONG_MAX) {
		rc = -EOVERFLOW;
	} else {
		rc = iopt_unmap_iova(&ioas->iopt, cmd->iova, cmd->length,
				     &unmapped);
		if (!rc && !unmapped)
			rc = iommu_refuse(ucmd->ictx->m, -ENOENT,
					  "iommufd_ioas_unmap",
					  "nothing mapped in the range");
	}
	if (!rc) {
		cmd->length = unmapped;
		rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	}
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

/*
 * IOMMU_IOAS_NOIOMMU_GET_PA: CAP_SYS_RAWIO first, then the row's flags
 * and reserved rules, then the arguments, then the lookup.
 */
int iommufd_ioas_noiommu_get_pa(struct iommufd_ucmd *ucmd)
{
	struct iommu_ioas_noiommu_get_pa *cmd = ucmd->cmd;
	struct iommu_model *m = ucmd->ictx->m;
	struct iommufd_ioas *ioas;
	int rc;

	if (!capable(ucmd->task, CAP_SYS_RAWIO))
		return iommu_refuse(m, -EPERM, "iommufd_ioas_noiommu_get_pa",
				    "caller lacks CAP_SYS_RAWIO");
	rc = iommufd_ucmd_check(ucmd);
	if (rc)
		return rc;
	if (!cmd->length)
		return iommu_refuse(m, -EINVAL, "iommufd_ioas_noiommu_get_pa",
				    "length 0");
	if (cmd->iova >= IOMMUFD_ULONG_MAX)
		return iommu_refuse(m, -EOVERFLOW,
				    "iommufd_ioas_noiommu_get_pa",
				    "iova is ULONG_MAX");
	ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
	if (!ioas)
		return -ENOENT;
	rc = iopt_get_phys(&ioas->iopt, cmd->iova, (u64 *)&cmd->out_phys,
			   (u64 *)&cmd->length);
	if (!rc)
		rc = iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

/* iommufd_release_all_iova_rwsem() */
static void release_all_ioas(GPtrArray *list)
{
	for (unsigned int i = 0; i < list->len; i++)
		obj_users_dec(list->pdata[i]);
	g_ptr_array_free(list, TRUE);
}

/*
 * iommufd_take_all_iova_rwsem(): every IOAS of the ctx, in id order, each
 * with a users reference (7.3 stores them in an xarray, which can fail).
 */
static int take_all_ioas(struct iommufd_ctx *ictx, GPtrArray **out)
{
	GPtrArray *list = g_ptr_array_new();
	struct obj_table *t = &ictx->objects;

	for (u32 id = obj_next_id(t, 0); id; id = obj_next_id(t, id)) {
		struct obj_header *obj = obj_peek(t, id);

		if (obj->type != IOMMUFD_OBJ_IOAS)
			continue;
		if (iommufd_should_fail(ictx, "iommufd_take_all_iova_rwsem")) {
			release_all_ioas(list);
			return -ENOMEM;
		}
		obj_users_inc(obj);
		g_ptr_array_add(list, obj);
	}
	*out = list;
	return 0;
}

/* Every area of every IOAS taken; -EBUSY for one being set up, -EINVAL
 * for one that is not a file mapping (only memfd pages can move). */
static int all_file_areas(struct iommu_model *m, GPtrArray *ioas_list,
			  GPtrArray *areas)
{
	for (unsigned int i = 0; i < ioas_list->len; i++) {
		struct iommufd_ioas *ioas = ioas_list->pdata[i];

		for (unsigned int j = 0; j < ioas->iopt.areas->len; j++) {
			struct iopt_area *area = ioas->iopt.areas->pdata[j];

			if (!area->pages)
				return -EBUSY;
			if (area->pages->type != IOPT_ADDRESS_FILE)
				return iommu_refuse(
					m, -EINVAL,
					"iommufd_ioas_change_process",
					"IOAS %u maps user memory, not a file",
					ioas->obj.id);
			g_ptr_array_add(areas, area);
		}
	}
	return 0;
}

/* need_charge_update(): pages charged to another process move */
static bool need_charge_update(struct iopt_pages *pages, struct process *task)
{
	return pages->account_mode != IOPT_PAGES_ACCOUNT_NONE &&
	       pages->source_task != task;
}

/* charge_current(): the pages per accounting mode, all or none */
static int charge_current(struct iommu_model *m, struct process *task,
			  const u64 *npinned)
{
	unsigned int mode;
	int rc = 0;

	for (mode = 0; mode < IOPT_PAGES_ACCOUNT_MODE_NUM && !rc; mode++) {
		if (npinned[mode])
			rc = iopt_account_pinned(m, task, mode, npinned[mode],
						 true);
	}
	if (!rc)
		return 0;
	for (mode--; mode--;) {
		if (npinned[mode])
			iopt_account_pinned(m, task, mode, npinned[mode],
					    false);
	}
	return rc;
}

/* Uncharge the old process, then the pages belong to @task (change_mm) */
static void move_pages(struct iommu_model *m, GPtrArray *areas,
		       struct process *task)
{
	for (unsigned int i = 0; i < areas->len; i++) {
		struct iopt_pages *pages =
			((struct iopt_area *)areas->pdata[i])->pages;

		if (need_charge_update(pages, task)) {
			iopt_account_pinned(m, pages->source_task,
					    pages->account_mode, pages->npinned,
					    false);
			pages->last_npinned = pages->npinned;
		}
		process_put(pages->source_task);
		pages->source_task = process_get(task);
	}
}

/*
 * IOMMU_IOAS_CHANGE_PROCESS: every mapping of the ctx (file mappings
 * only) is charged to the caller instead of the process that made it;
 * counted once per iopt_pages however many areas share it. A refused
 * charge changes nothing.
 */
int iommufd_ioas_change_process(struct iommufd_ucmd *ucmd)
{
	u64 npinned[IOPT_PAGES_ACCOUNT_MODE_NUM] = { 0 };
	struct iommu_model *m = ucmd->ictx->m;
	GPtrArray *ioas_list, *areas = g_ptr_array_new();
	int rc;

	rc = take_all_ioas(ucmd->ictx, &ioas_list);
	if (rc)
		goto out_areas;
	rc = all_file_areas(m, ioas_list, areas);
	if (rc)
		goto out_release;
	/* last_npinned cleared so shared pages are counted once */
	for (unsigned int i = 0; i < areas->len; i++) {
		struct iopt_pages *p =
			((struct iopt_area *)areas->pdata[i])->pages;

		if (need_charge_update(p, ucmd->task)) {
			npinned[p->account_mode] += p->last_npinned;
			p->last_npinned = 0;
		}
	}
	rc = charge_current(m, ucmd->task, npinned);
	if (rc) {
		for (unsigned int i = 0; i < areas->len; i++) {
			struct iopt_pages *p =
				((struct iopt_area *)areas->pdata[i])->pages;

			p->last_npinned = p->npinned;
		}
		goto out_release;
	}
	move_pages(m, areas, ucmd->task);
out_release:
	release_all_ioas(ioas_list);
out_areas:
	g_ptr_array_free(areas, TRUE);
	return rc;
}

/* IOMMU_OPTION_RLIMIT_MODE: ctx-wide, settable only while it is empty */
int iommufd_option_rlimit_mode(struct iommu_option *cmd,
			       struct iommufd_ucmd *ucmd)
{
	struct iommufd_ctx *ictx = ucmd->ictx;

	if (cmd->object_id)
		return -EOPNOTSUPP;
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		cmd->val64 = ictx->account_mode == IOPT_PAGES_ACCOUNT_MM;
		return 0;
	}
	if (cmd->op != IOMMU_OPTION_OP_SET)
		return -EOPNOTSUPP;
	if (!capable(ucmd->task, CAP_SYS_RESOURCE))
		return iommu_refuse(ictx->m, -EPERM,
				    "iommufd_option_rlimit_mode",
				    "caller lacks CAP_SYS_RESOURCE");
	if (obj_ids_taken(&ictx->objects))
		return iommu_refuse(ictx->m, -EBUSY,
				    "iommufd_option_rlimit_mode",
				    "the context already holds objects");
	if (cmd->val64 == 0)
		ictx->account_mode = IOPT_PAGES_ACCOUNT_USER;
	else if (cmd->val64 == 1)
		ictx->account_mode = IOPT_PAGES_ACCOUNT_MM;
	else
		return -EINVAL;
	return 0;
}

static int iommufd_ioas_option_huge_pages(struct iommu_option *cmd,
					  struct iommufd_ioas *ioas)
{
	if (cmd->op == IOMMU_OPTION_OP_GET) {
		cmd->val64 = !ioas->iopt.disable_large_pages;
		return 0;
	}
	if (cmd->op != IOMMU_OPTION_OP_SET)
		return -EOPNOTSUPP;
	if (cmd->val64 == 0)
		return iopt_disable_large_pages(&ioas->iopt);
	if (cmd->val64 == 1) {
		iopt_enable_large_pages(&ioas->iopt);
		return 0;
	}
	return -EINVAL;
}

int iommufd_ioas_option(struct iommufd_ucmd *ucmd)
{
	struct iommu_option *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;
	int rc;

	ioas = iommufd_get_ioas(ucmd->ictx, cmd->object_id);
	if (!ioas)
		return -ENOENT;
	rc = iommufd_ioas_option_huge_pages(cmd, ioas);
	iommufd_put_object(ucmd->ictx, &ioas->obj);
	return rc;
}

/* vfio_compat.c: get_compat_ioas(): -ENODEV when there is none */
static struct iommufd_ioas *get_compat_ioas(struct iommufd_ctx *ictx)
{
	struct iommufd_ioas *ioas = ictx->vfio_ioas;

	if (!ioas || !obj_get(&ictx->objects, ioas->obj.id, IOMMUFD_OBJ_IOAS))
		return NULL;
	return ioas;
}

/* vfio_compat.c: iommufd_vfio_ioas() */
int iommufd_vfio_ioas(struct iommufd_ucmd *ucmd)
{
	struct iommu_vfio_ioas *cmd = ucmd->cmd;
	struct iommufd_ioas *ioas;

	switch (cmd->op) {
	case IOMMU_VFIO_IOAS_GET:
		ioas = get_compat_ioas(ucmd->ictx);
		if (!ioas)
			return iommu_refuse(ucmd->ictx->m, -ENODEV,
					    "iommufd_vfio_ioas",
					    "no compat IOAS");
		cmd->ioas_id = ioas->obj.id;
		iommufd_put_object(ucmd->ictx, &ioas->obj);
		return iommufd_ucmd_respond(ucmd, sizeof(*cmd));
	case IOMMU_VFIO_IOAS_SET:
		ioas = iommufd_get_ioas(ucmd->ictx, cmd->ioas_id);
		if (!ioas)
			return -ENOENT;
		ucmd->ictx->vfio_ioas = ioas;
		iommufd_put_object(ucmd->ictx, &ioas->obj);
		return 0;
	case IOMMU_VFIO_IOAS_CLEAR:
		ucmd->ictx->vfio_ioas = NULL;
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}
