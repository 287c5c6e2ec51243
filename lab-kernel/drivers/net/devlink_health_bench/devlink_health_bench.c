// SPDX-License-Identifier: GPL-2.0
/*
 * devlink health benchmark driver: lab code, not part of the series.
 *
 * Drives a devlink health core through the driver API of
 * include/net/devlink.h and nothing else, so the very same object measures
 * our core and the upstream one. User space (harness/bench/) steers it
 * through debugfs and reads the dumps and diagnoses back over netlink.
 *
 * At boot it creates one devlink instance, platform/devlink_health_bench.0,
 * with three reporters:
 *
 *   bare  no callbacks: the cheapest report there is
 *   full  recover, dump and diagnose of a few pairs: a typical NIC reporter
 *   big   dump and diagnose of the size set in debugfs: dump_elems objects
 *         { u32 pair } or, when dump_binary is not zero, one binary pair of
 *         that many bytes; diag_elems objects for diagnose
 *
 * debugfs (/sys/kernel/debug/devlink_health_bench/):
 *
 *   dump_elems, diag_elems   u32 knobs of the big reporter
 *   dump_binary              binary dump size in bytes (0: objects)
 *   report                   write "<reporter> <count>": <count> reports in
 *                            a row, timed with ktime_get_ns()
 *   capture                  write anything: one report on big, which
 *                            stores a dump if none is stored, timed
 *   topology                 write "<devices> <ports>": that many more
 *                            instances, each with <ports> ports carrying two
 *                            port reporters; "0 0" removes them
 *   primitives               write "<count>": time <count> rounds of a few
 *                            kernel primitives a report path may use (an
 *                            empty call, local_irq_save/restore, a raw
 *                            spinlock with and without irqsave, a short
 *                            strscpy); identical code on every core, so
 *                            both a cost model and a noise gauge
 *   api                      write "<count>": time <count> calls of the
 *                            cheapest driver API entry points on bare
 *                            (reporter_priv, recovery_done, state_update
 *                            to the current state): a profile of what a
 *                            report costs beyond a function call
 *   result                   the outcome of the last write, one line of
 *                            key=value pairs
 *
 * Locking: dhb_lock serializes the debugfs commands and protects the
 * instances and the result line. It is taken before the devlink instance
 * lock (reports take that one), so no devlink callback may take it;
 * the dump callback takes dhb_bin_lock instead, an innermost lock.
 */

#include <linux/cleanup.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <net/devlink.h>

#define DHB_NAME		"devlink_health_bench"
#define DHB_MAX_DEVICES		256U
#define DHB_MAX_PORTS		64U
#define DHB_PORT_REPORTERS	2
#define DHB_BINARY_MAX		(64U << 20)
/* objects the full reporter dumps and diagnoses: a realistic small fmsg */
#define DHB_FULL_ELEMS		16U
/* elements between two cond_resched() while filling a large fmsg */
#define DHB_RESCHED_EVERY	4096U

/**
 * struct dhb_dev - one benchmark devlink instance, in the devlink priv
 * @pdev: the platform device the instance hangs on
 * @devlink: back pointer to the instance
 * @ports: @nr_ports ports, each with DHB_PORT_REPORTERS reporters
 * @port_reporters: reporters of @ports, DHB_PORT_REPORTERS per port
 * @nr_ports: ports registered
 * @registered: devl_register() succeeded
 * @bare: reporter without callbacks (main instance only)
 * @full: reporter with recover, dump and diagnose (main instance only)
 * @big: reporter with a dump and a diagnose of configurable size (main
 *	instance only)
 *
 * Written at creation and teardown only, both under dhb_lock.
 */
struct dhb_dev {
	struct platform_device *pdev;
	struct devlink *devlink;
	struct devlink_port *ports;
	struct devlink_health_reporter **port_reporters;
	unsigned int nr_ports;
	bool registered;
	struct devlink_health_reporter *bare;
	struct devlink_health_reporter *full;
	struct devlink_health_reporter *big;
};

static DEFINE_MUTEX(dhb_lock); /* protects dhb_main .. dhb_result */
static struct dhb_dev *dhb_main;
static struct dhb_dev *dhb_topo[DHB_MAX_DEVICES];
static unsigned int dhb_topo_nr;
static char dhb_result[192];

/* Sizes of the big reporter; plain debugfs u32 knobs, read once per use. */
static u32 dhb_dump_elems;
static u32 dhb_diag_elems;

static DEFINE_MUTEX(dhb_bin_lock); /* protects dhb_bin_buf, dhb_bin_len */
static void *dhb_bin_buf;
static u32 dhb_bin_len;

static struct dentry *dhb_dir;

static const struct devlink_ops dhb_devlink_ops = {
};

/* ----- fmsg producers ----- */

static void dhb_put_elems(struct devlink_fmsg *fmsg, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++) {
		devlink_fmsg_obj_nest_start(fmsg);
		devlink_fmsg_u32_pair_put(fmsg, "pair", i);
		devlink_fmsg_obj_nest_end(fmsg);
		if (i % DHB_RESCHED_EVERY == DHB_RESCHED_EVERY - 1)
			cond_resched();
	}
}

static int dhb_put_binary(struct devlink_fmsg *fmsg)
{
	guard(mutex)(&dhb_bin_lock);
	if (!dhb_bin_buf)
		return -ENOMEM;
	devlink_fmsg_binary_pair_put(fmsg, "binary", dhb_bin_buf, dhb_bin_len);
	return 0;
}

/* ----- reporter callbacks ----- */

static int dhb_recover(struct devlink_health_reporter *reporter,
		       void *priv_ctx, struct netlink_ext_ack *extack)
{
	return 0;
}

static int dhb_full_dump(struct devlink_health_reporter *reporter,
			 struct devlink_fmsg *fmsg, void *priv_ctx,
			 struct netlink_ext_ack *extack)
{
	dhb_put_elems(fmsg, DHB_FULL_ELEMS);
	return 0;
}

static int dhb_full_diagnose(struct devlink_health_reporter *reporter,
			     struct devlink_fmsg *fmsg,
			     struct netlink_ext_ack *extack)
{
	dhb_put_elems(fmsg, DHB_FULL_ELEMS);
	return 0;
}

static int dhb_big_dump(struct devlink_health_reporter *reporter,
			struct devlink_fmsg *fmsg, void *priv_ctx,
			struct netlink_ext_ack *extack)
{
	if (READ_ONCE(dhb_bin_len))
		return dhb_put_binary(fmsg);
	dhb_put_elems(fmsg, READ_ONCE(dhb_dump_elems));
	return 0;
}

static int dhb_big_diagnose(struct devlink_health_reporter *reporter,
			    struct devlink_fmsg *fmsg,
			    struct netlink_ext_ack *extack)
{
	dhb_put_elems(fmsg, READ_ONCE(dhb_diag_elems));
	return 0;
}

static const struct devlink_health_reporter_ops dhb_bare_ops = {
	.name = "bare",
};

static const struct devlink_health_reporter_ops dhb_full_ops = {
	.name = "full",
	.recover = dhb_recover,
	.dump = dhb_full_dump,
	.diagnose = dhb_full_diagnose,
};

static const struct devlink_health_reporter_ops dhb_big_ops = {
	.name = "big",
	.dump = dhb_big_dump,
	.diagnose = dhb_big_diagnose,
};

static const struct devlink_health_reporter_ops
dhb_port_ops[DHB_PORT_REPORTERS] = {
	{ .name = "port_rx", .diagnose = dhb_full_diagnose, },
	{ .name = "port_tx", .diagnose = dhb_full_diagnose, },
};

/* ----- instances ----- */

static void dhb_ports_del(struct dhb_dev *dev)
{
	struct devlink_health_reporter **reporters;
	unsigned int p, r;

	devl_assert_locked(dev->devlink);
	for (p = dev->nr_ports; p-- > 0;) {
		reporters = &dev->port_reporters[p * DHB_PORT_REPORTERS];
		for (r = 0; r < DHB_PORT_REPORTERS; r++)
			devl_health_reporter_destroy(reporters[r]);
		devl_port_unregister(&dev->ports[p]);
	}
	dev->nr_ports = 0;
}

static int dhb_port_add(struct dhb_dev *dev, unsigned int index)
{
	struct devlink_health_reporter **reporters;
	struct devlink_port_attrs attrs = {};
	struct devlink_port *port;
	int err, r;

	port = &dev->ports[index];
	reporters = &dev->port_reporters[index * DHB_PORT_REPORTERS];
	attrs.flavour = DEVLINK_PORT_FLAVOUR_PHYSICAL;
	attrs.phys.port_number = index;
	devlink_port_attrs_set(port, &attrs);
	err = devl_port_register(dev->devlink, port, index);
	if (err)
		return err;

	for (r = 0; r < DHB_PORT_REPORTERS; r++) {
		reporters[r] = devl_port_health_reporter_create(port,
								&dhb_port_ops[r],
								0, dev);
		if (IS_ERR(reporters[r])) {
			err = PTR_ERR(reporters[r]);
			goto destroy_reporters;
		}
	}
	return 0;

destroy_reporters:
	while (r-- > 0)
		devl_health_reporter_destroy(reporters[r]);
	devl_port_unregister(port);
	return err;
}

static int dhb_ports_add(struct dhb_dev *dev, unsigned int nr_ports)
{
	int err;

	devl_assert_locked(dev->devlink);
	dev->ports = kcalloc(nr_ports, sizeof(*dev->ports), GFP_KERNEL);
	dev->port_reporters = kcalloc(nr_ports * DHB_PORT_REPORTERS,
				      sizeof(*dev->port_reporters), GFP_KERNEL);
	if (!dev->ports || !dev->port_reporters)
		return -ENOMEM;

	for (; dev->nr_ports < nr_ports; dev->nr_ports++) {
		err = dhb_port_add(dev, dev->nr_ports);
		if (err)
			return err;
	}
	return 0;
}

static struct devlink_health_reporter *
dhb_reporter_add(struct dhb_dev *dev,
		 const struct devlink_health_reporter_ops *ops)
{
	return devl_health_reporter_create(dev->devlink, ops, 0, dev);
}

static void dhb_main_reporters_del(struct dhb_dev *dev)
{
	if (!IS_ERR_OR_NULL(dev->big))
		devl_health_reporter_destroy(dev->big);
	if (!IS_ERR_OR_NULL(dev->full))
		devl_health_reporter_destroy(dev->full);
	if (!IS_ERR_OR_NULL(dev->bare))
		devl_health_reporter_destroy(dev->bare);
}

static int dhb_main_reporters_add(struct dhb_dev *dev)
{
	dev->bare = dhb_reporter_add(dev, &dhb_bare_ops);
	if (IS_ERR(dev->bare))
		return PTR_ERR(dev->bare);
	dev->full = dhb_reporter_add(dev, &dhb_full_ops);
	if (IS_ERR(dev->full))
		return PTR_ERR(dev->full);
	dev->big = dhb_reporter_add(dev, &dhb_big_ops);
	return PTR_ERR_OR_ZERO(dev->big);
}

/* Undo dhb_dev_add() whatever step it reached; instance lock not held. */
static void dhb_dev_del(struct dhb_dev *dev)
{
	struct platform_device *pdev = dev->pdev;
	struct devlink *devlink = dev->devlink;

	devl_lock(devlink);
	if (dev->registered)
		devl_unregister(devlink);
	dhb_main_reporters_del(dev);
	dhb_ports_del(dev);
	devl_unlock(devlink);
	kfree(dev->port_reporters);
	kfree(dev->ports);
	devlink_free(devlink);
	platform_device_unregister(pdev);
}

static struct dhb_dev *dhb_dev_add(unsigned int id, unsigned int nr_ports,
				   bool main_reporters)
{
	struct platform_device *pdev;
	struct devlink *devlink;
	struct dhb_dev *dev;
	int err;

	pdev = platform_device_register_simple(DHB_NAME, id, NULL, 0);
	if (IS_ERR(pdev))
		return ERR_CAST(pdev);
	devlink = devlink_alloc(&dhb_devlink_ops, sizeof(*dev), &pdev->dev);
	if (!devlink) {
		platform_device_unregister(pdev);
		return ERR_PTR(-ENOMEM);
	}
	dev = devlink_priv(devlink);
	dev->pdev = pdev;
	dev->devlink = devlink;

	devl_lock(devlink);
	err = dhb_ports_add(dev, nr_ports);
	if (!err && main_reporters)
		err = dhb_main_reporters_add(dev);
	if (!err)
		err = devl_register(devlink);
	dev->registered = !err;
	devl_unlock(devlink);
	if (err) {
		dhb_dev_del(dev);
		return ERR_PTR(err);
	}
	return dev;
}

static void dhb_topology_del(void)
{
	lockdep_assert_held(&dhb_lock);
	while (dhb_topo_nr > 0)
		dhb_dev_del(dhb_topo[--dhb_topo_nr]);
}

static int dhb_topology_add(unsigned int nr_devices, unsigned int nr_ports)
{
	struct dhb_dev *dev;

	lockdep_assert_held(&dhb_lock);
	if (nr_devices > DHB_MAX_DEVICES || nr_ports > DHB_MAX_PORTS)
		return -ERANGE;
	while (dhb_topo_nr < nr_devices) {
		/* id 0 is the main instance */
		dev = dhb_dev_add(dhb_topo_nr + 1, nr_ports, false);
		if (IS_ERR(dev))
			return PTR_ERR(dev);
		dhb_topo[dhb_topo_nr++] = dev;
	}
	return 0;
}

/* ----- commands ----- */

static struct devlink_health_reporter *dhb_reporter_get(const char *name)
{
	if (!strcmp(name, "bare"))
		return dhb_main->bare;
	if (!strcmp(name, "full"))
		return dhb_main->full;
	if (!strcmp(name, "big"))
		return dhb_main->big;
	return NULL;
}

static int dhb_cmd_report(const char *name, u32 count)
{
	struct devlink_health_reporter *reporter;
	u32 i, failed = 0;
	int last_err = 0;
	u64 t0, ns;
	int err;

	lockdep_assert_held(&dhb_lock);
	reporter = dhb_reporter_get(name);
	if (!reporter)
		return -ENOENT;

	t0 = ktime_get_ns();
	for (i = 0; i < count; i++) {
		err = devlink_health_report(reporter, "bench", NULL);
		if (err) {
			failed++;
			last_err = err;
		}
	}
	ns = ktime_get_ns() - t0;

	snprintf(dhb_result, sizeof(dhb_result),
		 "op=report reporter=%s count=%u ns=%llu failed=%u last_err=%d\n",
		 name, count, ns, failed, last_err);
	return 0;
}

static int dhb_cmd_capture(void)
{
	u64 t0, ns;
	int err;

	lockdep_assert_held(&dhb_lock);
	t0 = ktime_get_ns();
	err = devlink_health_report(dhb_main->big, "bench capture", NULL);
	ns = ktime_get_ns() - t0;

	snprintf(dhb_result, sizeof(dhb_result),
		 "op=capture elems=%u binary=%u ns=%llu err=%d\n",
		 READ_ONCE(dhb_dump_elems), READ_ONCE(dhb_bin_len), ns, err);
	return 0;
}

static int dhb_cmd_topology(unsigned int nr_devices, unsigned int nr_ports)
{
	u64 t0, ns;
	int err;

	lockdep_assert_held(&dhb_lock);
	t0 = ktime_get_ns();
	dhb_topology_del();
	err = dhb_topology_add(nr_devices, nr_ports);
	if (err)
		dhb_topology_del();
	ns = ktime_get_ns() - t0;

	snprintf(dhb_result, sizeof(dhb_result),
		 "op=topology devices=%u ports=%u reporters=%u ns=%llu err=%d\n",
		 nr_devices, nr_ports,
		 nr_devices * nr_ports * DHB_PORT_REPORTERS, ns, err);
	return err;
}

static int dhb_set_binary(u32 len)
{
	void *buf = NULL, *old;
	u32 i;

	if (len > DHB_BINARY_MAX)
		return -ERANGE;
	if (len) {
		buf = vmalloc(len);
		if (!buf)
			return -ENOMEM;
		/* a pattern, not zeroes, so nothing can shortcut it */
		for (i = 0; i < len; i++)
			((u8 *)buf)[i] = i * 7 + (i >> 12);
	}

	mutex_lock(&dhb_bin_lock);
	old = dhb_bin_buf;
	dhb_bin_buf = buf;
	WRITE_ONCE(dhb_bin_len, len);
	mutex_unlock(&dhb_bin_lock);
	vfree(old);
	return 0;
}

/* ----- primitives ----- */

static DEFINE_RAW_SPINLOCK(dhb_prim_lock);

static noinline void dhb_prim_empty(void)
{
	barrier();
}

/* Picoseconds per round of @count rounds that took @ns in all. */
static u64 dhb_ps_per_round(u64 ns, u32 count)
{
	return div_u64(ns * 1000, max(count, 1U));
}

static u64 dhb_time_call(u32 count)
{
	u64 t0 = ktime_get_ns();
	u32 i;

	for (i = 0; i < count; i++)
		dhb_prim_empty();
	return dhb_ps_per_round(ktime_get_ns() - t0, count);
}

static u64 dhb_time_irq(u32 count)
{
	u64 t0 = ktime_get_ns();
	unsigned long flags;
	u32 i;

	for (i = 0; i < count; i++) {
		local_irq_save(flags);
		local_irq_restore(flags);
	}
	return dhb_ps_per_round(ktime_get_ns() - t0, count);
}

static u64 dhb_time_spin(u32 count)
{
	u64 t0 = ktime_get_ns();
	u32 i;

	for (i = 0; i < count; i++) {
		raw_spin_lock(&dhb_prim_lock);
		raw_spin_unlock(&dhb_prim_lock);
	}
	return dhb_ps_per_round(ktime_get_ns() - t0, count);
}

static u64 dhb_time_irqsave(u32 count)
{
	u64 t0 = ktime_get_ns();
	unsigned long flags;
	u32 i;

	for (i = 0; i < count; i++) {
		raw_spin_lock_irqsave(&dhb_prim_lock, flags);
		raw_spin_unlock_irqrestore(&dhb_prim_lock, flags);
	}
	return dhb_ps_per_round(ktime_get_ns() - t0, count);
}

static u64 dhb_time_strscpy(u32 count)
{
	u64 t0 = ktime_get_ns();
	const char *src = "bench";
	char dst[64];
	u32 i;

	for (i = 0; i < count; i++) {
		/* keep the compiler from folding or dropping the copy */
		OPTIMIZER_HIDE_VAR(src);
		strscpy(dst, src, sizeof(dst));
		OPTIMIZER_HIDE_VAR(dst[0]);
	}
	return dhb_ps_per_round(ktime_get_ns() - t0, count);
}

static int dhb_cmd_primitives(u32 count)
{
	lockdep_assert_held(&dhb_lock);
	snprintf(dhb_result, sizeof(dhb_result),
		 "op=prim count=%u call_ps=%llu irq_ps=%llu spin_ps=%llu irqsave_ps=%llu strscpy_ps=%llu\n",
		 count, dhb_time_call(count), dhb_time_irq(count),
		 dhb_time_spin(count), dhb_time_irqsave(count),
		 dhb_time_strscpy(count));
	return 0;
}

/* ----- driver API entry points ----- */

static u64 dhb_time_priv(struct devlink_health_reporter *reporter, u32 count)
{
	u64 t0 = ktime_get_ns();
	void *priv;
	u32 i;

	for (i = 0; i < count; i++) {
		priv = devlink_health_reporter_priv(reporter);
		OPTIMIZER_HIDE_VAR(priv);
	}
	return dhb_ps_per_round(ktime_get_ns() - t0, count);
}

static u64 dhb_time_recovery_done(struct devlink_health_reporter *reporter,
				  u32 count)
{
	u64 t0 = ktime_get_ns();
	u32 i;

	for (i = 0; i < count; i++)
		devlink_health_reporter_recovery_done(reporter);
	return dhb_ps_per_round(ktime_get_ns() - t0, count);
}

static u64 dhb_time_state_update(struct devlink_health_reporter *reporter,
				 u32 count)
{
	u64 t0 = ktime_get_ns();
	u32 i;

	for (i = 0; i < count; i++)
		devlink_health_reporter_state_update(reporter,
						     DEVLINK_HEALTH_REPORTER_STATE_ERROR);
	return dhb_ps_per_round(ktime_get_ns() - t0, count);
}

static int dhb_cmd_api(u32 count)
{
	struct devlink_health_reporter *bare = dhb_main->bare;

	lockdep_assert_held(&dhb_lock);
	/* one report first, so that bare is in the error state already */
	devlink_health_report(bare, "bench", NULL);
	snprintf(dhb_result, sizeof(dhb_result),
		 "op=api count=%u priv_ps=%llu recovery_done_ps=%llu state_update_ps=%llu\n",
		 count, dhb_time_priv(bare, count),
		 dhb_time_recovery_done(bare, count),
		 dhb_time_state_update(bare, count));
	return 0;
}

/* ----- debugfs ----- */

static ssize_t dhb_read_user(char *buf, size_t size, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	ssize_t len;

	if (*ppos || count >= size)
		return -EINVAL;
	len = simple_write_to_buffer(buf, size - 1, ppos, ubuf, count);
	if (len < 0)
		return len;
	buf[len] = '\0';
	return len;
}

static ssize_t dhb_report_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char buf[64], name[16];
	ssize_t len;
	u32 n;
	int err;

	len = dhb_read_user(buf, sizeof(buf), ubuf, count, ppos);
	if (len < 0)
		return len;
	if (sscanf(buf, "%15s %u", name, &n) != 2)
		return -EINVAL;

	mutex_lock(&dhb_lock);
	err = dhb_cmd_report(name, n);
	mutex_unlock(&dhb_lock);
	return err ?: len;
}

static ssize_t dhb_capture_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	int err;

	mutex_lock(&dhb_lock);
	err = dhb_cmd_capture();
	mutex_unlock(&dhb_lock);
	return err ?: count;
}

static ssize_t dhb_topology_write(struct file *file, const char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	unsigned int devices, ports;
	char buf[64];
	ssize_t len;
	int err;

	len = dhb_read_user(buf, sizeof(buf), ubuf, count, ppos);
	if (len < 0)
		return len;
	if (sscanf(buf, "%u %u", &devices, &ports) != 2)
		return -EINVAL;

	mutex_lock(&dhb_lock);
	err = dhb_cmd_topology(devices, ports);
	mutex_unlock(&dhb_lock);
	return err ?: len;
}

/* Parse a count and run @cmd with it under dhb_lock. */
static ssize_t dhb_count_write(int (*cmd)(u32 count), const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char buf[32];
	ssize_t len;
	u32 n;
	int err;

	len = dhb_read_user(buf, sizeof(buf), ubuf, count, ppos);
	if (len < 0)
		return len;
	err = kstrtou32(strim(buf), 0, &n);
	if (err)
		return err;

	mutex_lock(&dhb_lock);
	err = cmd(n);
	mutex_unlock(&dhb_lock);
	return err ?: len;
}

static ssize_t dhb_primitives_write(struct file *file,
				    const char __user *ubuf, size_t count,
				    loff_t *ppos)
{
	return dhb_count_write(dhb_cmd_primitives, ubuf, count, ppos);
}

static ssize_t dhb_api_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	return dhb_count_write(dhb_cmd_api, ubuf, count, ppos);
}

static ssize_t dhb_binary_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	char buf[32];
	ssize_t len;
	u32 bytes;
	int err;

	len = dhb_read_user(buf, sizeof(buf), ubuf, count, ppos);
	if (len < 0)
		return len;
	err = kstrtou32(strim(buf), 0, &bytes);
	if (!err)
		err = dhb_set_binary(bytes);
	return err ?: len;
}

static ssize_t dhb_binary_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char buf[16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%u\n", READ_ONCE(dhb_bin_len));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t dhb_result_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	char buf[sizeof(dhb_result)];

	mutex_lock(&dhb_lock);
	strscpy(buf, dhb_result, sizeof(buf));
	mutex_unlock(&dhb_lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, strlen(buf));
}

static const struct file_operations dhb_report_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = dhb_report_write,
};

static const struct file_operations dhb_capture_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = dhb_capture_write,
};

static const struct file_operations dhb_topology_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = dhb_topology_write,
};

static const struct file_operations dhb_primitives_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = dhb_primitives_write,
};

static const struct file_operations dhb_api_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = dhb_api_write,
};

static const struct file_operations dhb_binary_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = dhb_binary_read,
	.write = dhb_binary_write,
};

static const struct file_operations dhb_result_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = dhb_result_read,
	.llseek = default_llseek,
};

static void dhb_debugfs_init(void)
{
	dhb_dir = debugfs_create_dir(DHB_NAME, NULL);
	debugfs_create_u32("dump_elems", 0600, dhb_dir, &dhb_dump_elems);
	debugfs_create_u32("diag_elems", 0600, dhb_dir, &dhb_diag_elems);
	debugfs_create_file("dump_binary", 0600, dhb_dir, NULL,
			    &dhb_binary_fops);
	debugfs_create_file("report", 0200, dhb_dir, NULL, &dhb_report_fops);
	debugfs_create_file("capture", 0200, dhb_dir, NULL, &dhb_capture_fops);
	debugfs_create_file("topology", 0200, dhb_dir, NULL,
			    &dhb_topology_fops);
	debugfs_create_file("primitives", 0200, dhb_dir, NULL,
			    &dhb_primitives_fops);
	debugfs_create_file("api", 0200, dhb_dir, NULL, &dhb_api_fops);
	debugfs_create_file("result", 0400, dhb_dir, NULL, &dhb_result_fops);
}

static int __init dhb_init(void)
{
	struct dhb_dev *dev;

	dev = dhb_dev_add(0, 0, true);
	if (IS_ERR(dev)) {
		pr_err(DHB_NAME ": cannot create the main instance: %pe\n", dev);
		return PTR_ERR(dev);
	}
	mutex_lock(&dhb_lock);
	dhb_main = dev;
	mutex_unlock(&dhb_lock);
	dhb_debugfs_init();
	return 0;
}

/* late: devlink and debugfs are up long before */
late_initcall(dhb_init);
