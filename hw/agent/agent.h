/* SPDX-License-Identifier: MIT */
/*
 * agent.h - the guest agent's private header: sysfs.c reaches the kernel,
 * agent.c runs the program (its format is described there) and keeps the
 * scenario's devices, steps.c runs one step through its verb table.
 */
#ifndef IOMMUSIM_AGENT_H
#define IOMMUSIM_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CTL "/sys/kernel/debug/iommusim/ctl"
#define PCI_DEVICES "/sys/bus/pci/devices"

#define MAX_ARGS 16
#define MAX_DEVS 64

struct kv {
	char *key, *val;
};

/* "step LINE verb key=value ..." */
struct step {
	int line;
	char *verb;
	struct kv args[MAX_ARGS];
	int nargs;
};

/* ---- agent.c: the scenario's devices ---- */

struct device {
	char name[64];
	char path[256];	      /* dev.fn hops from bus 0 */
	char bdf[16];	      /* empty when the path did not resolve */
	bool present;	      /* in sysfs now (hotplug, device_del) */
	bool hotplug;	      /* removed at begin, added by its step */
	char boot_driver[64]; /* bound at begin, "none" for none */
	char boot_type[32];   /* iommu_group/type when the scenario began */
	char boot_state[512]; /* driver and group state after begin */
	/* the driver whose unbind of it waits in a task of its own
	 * (blocked.c): the sysfs link is gone while dev->driver stays */
	char unbinding[64];
};

extern struct device devs[MAX_DEVS];
extern int ndevs;
struct device *find_dev(const char *name);
const char *dev_name_of_bdf(const char *bdf);
/* sysfs remove of the device; a rescan of its bus to add it back */
int remove_device(struct device *d);
/* the bookkeeping of a removal (@ret: its write's), made here or by a
 * task of its own (blocked.c) */
void device_removed(struct device *d, int ret);
int rescan_for(struct device *d);

/* fork: the child runs the steps up to exit, then the parent goes on
 * after them; each prints its whole step line */
void agent_fork(const struct step *st);
void agent_exit(const struct step *st);

/* ---- steps.c: one step, through the verb table ---- */

/* Prints "step LINE RESULT [warn] [key=value...]". */
void run_step(const struct step *st);
/* The verbs the agent knows, one per line, each with the test driver's
 * command it runs if any (agent --verbs). */
void list_verbs(void);

/* the rank of kernel group @id among the scenario devices' groups, in
 * id order (the model numbers only those); *count: how many */
int group_rank(int id, int *count);

/* ---- vfio_nodes.c: VFIO's nodes and sysfs, spelled as the model's ---- */

/* vfio_nodes: " 0 nodes=\"PATH,...\"" sorted */
void vfio_nodes_list(const struct step *st);
/* check_vfio_node path=: " 0 exists=0|1 content=\"...\"" */
void vfio_check_node(const struct step *st);

/* ---- sysfs.c ---- */

/* "EPERM" for EPERM, "E<n>" for what has no name here */
const char *errname(int err);
/* one write(2) of @val; 0 or -errno (_count: the bytes written) */
int write_file(const char *path, const char *val);
int write_file_count(const char *path, const char *val);
/* @path into @buf without its trailing newline; 0 or -errno */
int read_file(const char *path, char *buf, size_t len);
/* /sys/kernel/warn_count (kernel/panic.c), -1 if unreadable */
long warn_count(void);
/* the name a link of a device points to (driver, iommu_group); "none" and
 * -errno when there is none */
int dev_link(const char *bdf, const char *link, char *out, size_t len);
/* the first entry of @dir that is not a dot file */
int first_entry(const char *dir, char *out, size_t len);
/* @path ("1c.0/00.0": dev.fn hops from bus 0) to the address in sysfs */
int resolve(const char *path, char *bdf, size_t len);
/* one line per PCI function: ids, class, group, driver, ACS */
void inventory(void);
/* driver_override, then the driver's bind; the write's errno */
int bind_driver(const char *bdf, const char *drv);
/* the bound driver's unbind, driver_override cleared; -ENODEV if none */
int unbind(const char *bdf);
/* driver_override emptied, as an unbind leaves it */
void clear_override(const char *bdf);
/* @drv's unbind of @bdf: unbind_store()'s -ENODEV when not bound to it */
int driver_unbind_store(const char *bdf, const char *drv);
/* one command to the test driver; @out gets "ret=N ..." */
int ctl(const char *cmd, char *out, size_t len);
/* the value of "key=" in a ctl result */
bool field(const char *res, const char *key, char *val, size_t len);

/* ---- blocked.c: a step the model says does not return (BLOCKS) ---- */

/* "step N &VERB ...": run in a task of its own; "blocks" while it waits */
void run_step_blocking(const struct step *st);
/* after each step (@verb): reap the blocked tasks a close has let return */
void blocked_settle(const char *verb);
/* at the scenario's end, the files closed: false if one still waits */
bool blocked_end(void);
/* `agent --blocking OP BDF [DRIVER]`: the blocked task's sysfs writes */
int blocked_main(int argc, char **argv);

/* ---- iommufd.c, ifd_uapi.c: iommufd and VFIO's cdev for real ---- */

/* the step's argument @key as written, NULL if absent */
const char *ifd_arg(const struct step *st, const char *key);
bool ifd_arg_is_file(const struct step *st, const char *key);
/* a number, or the value a slot (ioas0, fd1, va2...) was bound to */
uint64_t ifd_num(const struct step *st, const char *key, uint64_t def);
/* an out field naming a slot binds it to @v */
void ifd_out_bind(const struct step *st, const char *key, uint64_t v);
/* an out field naming an fd slot (closed at the end), and its close */
void ifd_fd_bind(const struct step *st, const char *key, int fd);
int ifd_fd_close(const struct step *st, const char *key);
/* IOAS mappings per iommufd file (ictx: the agent's fd), for GET_PA */
void ifd_map_add(int ictx, uint64_t ioas, uint64_t iova, uint64_t len,
		 uint64_t va);
void ifd_map_del(int ictx, uint64_t ioas, uint64_t iova, uint64_t len);
void ifd_map_copy(int ictx, uint64_t src_ioas, uint64_t src_iova,
		  uint64_t dst_ioas, uint64_t dst_iova, uint64_t len);
void ifd_print_pagemap(int ictx, uint64_t ioas, uint64_t iova, uint64_t phys);
/* the verbs */
void ifd_open(const struct step *st);
int ifd_close(const struct step *st);
/* close(fd=): a process fd a step bound (memfd, event queue file) */
int ifd_close_fd(const struct step *st);
void ifd_mmap(const struct step *st);
void ifd_memfd_create(const struct step *st);
int ifd_capset(const struct step *st);
int ifd_setrlimit(const struct step *st);
void ifd_check_process(const struct step *st);
void ifd_bind(const struct step *st);
void ifd_attach(const struct step *st);
void ifd_replace(const struct step *st);
int ifd_detach(const struct step *st);
void ifd_unbind(const struct step *st);
void ifd_uapi(const struct step *st);
/* IOMMU_TEST_CMD (CONFIG_IOMMUFD_TEST): op= and its union member's fields */
void ifd_test_cmd(const struct step *st);
void ifd_check_buffer(const struct step *st);
void ifd_write_buffer(const struct step *st);
/* eventq.c: a fault queue's fd, read and written */
void ifd_fault_read(const struct step *st);
void ifd_fault_write(const struct step *st);
/* a vEVENTQ's fd, read */
void ifd_veventq_read(const struct step *st);
/* the end of a scenario: close, unmap, restore capabilities and limits */
void ifd_reset(void);
/* the noiommu parameter and the taint at a scenario's start; the
 * parameter put back at its end (steps.c) */
void kernel_state_begin(void);
void kernel_state_end(void);

/* A uapi struct's field as the step names it (ifd_uapi.c, vfio.c): in,
 * out (printed under its name) or in/out (printed as out_<name>). */
enum { UF_IN, UF_OUT, UF_INOUT };
struct ufield {
	const char *key;
	const char *out; /* UF_INOUT: "out_" key */
	unsigned short off;
	unsigned char len, dir;
};
#define FSZ(t, f) sizeof(((t *)0)->f)
#define UF(t, f, d)                                                            \
	{                                                                      \
		.key = #f, .out = "out_" #f, .off = offsetof(t, f),            \
		.len = FSZ(t, f), .dir = d                                     \
	}
#define UF_END                                                                 \
	{                                                                      \
		.key = NULL                                                    \
	}
void uapi_fields_fill(const struct step *st, void *cmd,
		      const struct ufield *fields);
/* @ok false: a failed call's struct, printed the same (the host compares
 * what the model says the kernel copied back before failing) but binding
 * no slot */
void uapi_fields_print(const struct step *st, const void *cmd,
		       const struct ufield *fields, bool ok);

/* ---- vfio.c: VFIO's nodes and ioctls for real ---- */

/* the VFIO verbs (vfio_open, vfio_close, VFIO_*): one handler, the
 * verb's row in its own table */
void vfio_step(const struct step *st);
/* vfio_irqs.c: eventfds and the interrupt ioctls */
void vfio_irqs_step(const struct step *st);
/* /dev/vfio/devices/<the device's vfio-dev entry>: fd or -errno */
int vfio_cdev_open(const char *bdf);

#endif
