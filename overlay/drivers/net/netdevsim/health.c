// SPDX-License-Identifier: GPL-2.0
/*
 * netdevsim health reporters: a test bench for the devlink health core.
 *
 * Every netdevsim device registers four reporters:
 *
 *   empty       dump and diagnose ops that put nothing
 *   dummy       every op (recover, dump, diagnose, test)
 *   noop        no op at all, to hit the "operation not supported" paths
 *   tx          a Tx hang reporter written as a driver backported from
 *               mainline writes one: default grace and burst periods of
 *               500 ms in its ops, a dump of the stuck packet with
 *               devlink_fmsg_dump_skb() and a diagnose with
 *               devlink_fmsg_put()
 *
 * and every port registers a "port_dummy" reporter with the ops of "dummy".
 *
 * debugfs, under netdevsim/netdevsimN/health/:
 *
 *   break_health      (W) report on "dummy" with the written message
 *   binary_len        (RW) length of the binary in dumps/diagnoses; byte i
 *                         of it is i & 0xff, so a reader can check it whole
 *   fail_recover      (RW) recover ops fail with -EINVAL
 *   dump_elems        (RW) dumps carry an array "elems" of that many objects
 *   diagnose_elems    (RW) diagnoses carry an array "elems" of that many
 *                         objects, element i holding i
 *   nesting_6_12      (RW) dump and diagnose ops end a nest they never
 *                         opened, as 6.12's netdevsim does
 *   recover_delay_ms  (RW) recover ops sleep that long before finishing
 *   fail_dump         (RW) non-zero errno returned (negated) by dump ops
 *   fail_diagnose     (RW) non-zero errno returned (negated) by diagnose ops
 *   fail_test         (RW) non-zero errno returned (negated) by test ops
 *   ops_after_teardown (R) ops that ran on a reporter after the teardown
 *                         knob tore down the state they use; must stay 0
 *   reporters/<name>/ actions on the device reporter <name>
 *   ports/<index>/    actions on the "port_dummy" reporter of port <index>
 *
 * Each action directory holds:
 *
 *   break_health      (W) report with the written message as break message
 *   report_count      (W) report K times in a row, K being the number written
 *   recovery_done     (W) devlink_health_reporter_recovery_done()
 *   state_update      (W) devlink_health_reporter_state_update() with
 *                         "healthy" or "error"
 *   report_nowait     (W) report K times with devlink_health_report_nowait()
 *                         from the writing process
 *   report_hardirq    (W) report K times with devlink_health_report_nowait()
 *                         from a hard IRQ timer, one report per expiry,
 *                         50 us from the end of one to the next
 *   report_softirq    (W) same from a timer in softirq context
 *   report_locked     (W) report K times with devlink_health_report_nowait()
 *                         while holding the devlink instance lock
 *   teardown          (W) what a driver does when it stops a queue: under
 *                         the instance lock, report K times with
 *                         devlink_health_report_nowait() (recoveries get
 *                         queued), close the reporter, drop the lock, tear
 *                         down the state the ops use, and give the queued
 *                         work 100 ms to run. The reporter stays, closed,
 *                         until the device or port goes.
 *
 * The timer knobs return at once, the reports are fired afterwards; a write
 * while a series is still being fired fails with -EBUSY. report_locked
 * gives up with -EBUSY if it cannot take the instance lock within 2 s.
 *
 * break_health, binary_len and fail_recover keep the paths and semantics
 * the upstream devlink.sh selftest relies on.
 */

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/hrtimer.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/random.h>
#include <linux/sched/signal.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/workqueue.h>
#include <net/devlink.h>

#include "netdevsim.h"

#define NSIM_HEALTH_BINARY_LEN_DEFAULT	16
#define NSIM_HEALTH_TEST_MSG		"Test event requested through devlink"
#define NSIM_HEALTH_COUNT_MSG		"Report injected by report_count"
#define NSIM_HEALTH_STATE_MAX_LEN	16
#define NSIM_HEALTH_NOWAIT_MSG		"Report injected by report_nowait"
#define NSIM_HEALTH_HARDIRQ_MSG		"Report from a hard IRQ timer"
#define NSIM_HEALTH_SOFTIRQ_MSG		"Report from a softirq timer"
#define NSIM_HEALTH_LOCKED_MSG		"Report under the devlink instance lock"
#define NSIM_HEALTH_TEARDOWN_MSG	"Report right before a teardown"
/* Most reports one write to a timer or locked knob may ask for */
/* Default periods of the "tx" reporter, mlx5e's burst period */
#define NSIM_HEALTH_TX_GRACE_MS		500
#define NSIM_HEALTH_TX_BURST_MS		500
/* Length of the packet the "tx" reporter finds stuck */
#define NSIM_HEALTH_TX_SKB_LEN		64
#define NSIM_HEALTH_TX_RING_SIZE	1024

#define NSIM_HEALTH_BATCH_MAX		100000
/*
 * Time from the end of one report of the hard IRQ timer to the next one.
 * Counted from the end, not from the last expiry: on an emulated CPU a
 * report in hard IRQ can take longer than the gap, and a timer forwarded
 * by its period would then fire back to back and leave the CPU nothing
 * but the interrupt until the batch is done.
 */
#define NSIM_HEALTH_HARDIRQ_GAP_NS	(50 * NSEC_PER_USEC)
/* Tries, about 1 ms apart, at the instance lock for report_locked */
#define NSIM_HEALTH_LOCK_TRIES		2000

enum nsim_health_dev_rep {
	NSIM_HEALTH_REP_EMPTY,
	NSIM_HEALTH_REP_DUMMY,
	NSIM_HEALTH_REP_NOOP,
	NSIM_HEALTH_REP_TX,
	NSIM_HEALTH_REP_COUNT,
};

/**
 * struct nsim_health_rep - one reporter and its debugfs action knobs
 * @health: device-wide knobs the ops read
 * @reporter: the reporter, owned by the devlink core
 * @ddir: directory of the action knobs, removed before @reporter is
 *	  destroyed so that no knob write can reach a dead reporter
 * @msg_lock: protects @recovered_break_msg
 * @recovered_break_msg: break message of the last report recovered with
 *			 its context, shown by diagnose
 * @hardirq_timer: fires the reports of report_hardirq, in hard IRQ context
 * @hardirq_left: reports @hardirq_timer still has to fire; a write arms the
 *		  timer only when it finds it 0
 * @softirq_timer: fires the reports of report_softirq, in softirq context
 * @softirq_left: reports @softirq_timer still has to fire, same rule
 * @torn_down: the teardown knob tore down what the ops use; an op that
 *	       runs afterwards counts itself in ops_after_teardown and fails
 */
struct nsim_health_rep {
	struct nsim_dev_health *health;
	struct devlink_health_reporter *reporter;
	struct dentry *ddir;
	struct mutex msg_lock; /* protects recovered_break_msg */
	char *recovered_break_msg;
	struct hrtimer hardirq_timer;
	atomic_t hardirq_left;
	struct timer_list softirq_timer;
	atomic_t softirq_left;
	bool torn_down;
};

/**
 * struct nsim_dev_health - health reporters of one netdevsim device
 * @devlink: devlink instance of the device
 * @reps: the device reporters, indexed by enum nsim_health_dev_rep
 * @ddir: debugfs "health" directory
 * @reporters_ddir: debugfs "health/reporters", one directory per reporter
 * @ports_ddir: debugfs "health/ports", one directory per port
 * @dump_seq: sequence number of the last dump; elements are tagged with it
 *	      so that a reader can tell two dumps apart
 * @binary_len: see the file header; like the other knobs below it is
 *		written by debugfs at any time and read once per op
 * @dump_elems: see the file header
 * @diagnose_elems: see the file header
 * @recover_delay_ms: see the file header
 * @fail_dump: see the file header
 * @fail_diagnose: see the file header
 * @fail_test: see the file header
 * @fail_recover: see the file header
 * @nesting_6_12: see the file header
 * @ops_after_teardown: see the file header
 */
struct nsim_dev_health {
	struct devlink *devlink;
	struct nsim_health_rep reps[NSIM_HEALTH_REP_COUNT];
	struct dentry *ddir;
	struct dentry *reporters_ddir;
	struct dentry *ports_ddir;
	atomic_t dump_seq;
	u32 binary_len;
	u32 dump_elems;
	u32 diagnose_elems;
	u32 recover_delay_ms;
	u32 fail_dump;
	u32 fail_diagnose;
	u32 fail_test;
	bool fail_recover;
	bool nesting_6_12;
	atomic_t ops_after_teardown;
};

/* Context handed to devlink_health_report(), seen by recover and dump. */
struct nsim_health_ctx {
	const char *break_msg;
};

/* Fault knobs hold a positive errno; a value out of range still fails. */
static int nsim_health_fault_err(u32 fault)
{
	return fault <= MAX_ERRNO ? -(int)fault : -EINVAL;
}

/*
 * An op of a reporter whose state the teardown knob tore down: the core
 * must not call it any more. Count it for the test to see, and fail.
 */
static bool nsim_health_op_after_teardown(struct nsim_health_rep *rep)
{
	if (!READ_ONCE(rep->torn_down))
		return false;
	atomic_inc(&rep->health->ops_after_teardown);
	return true;
}

static int nsim_health_report(struct nsim_health_rep *rep, const char *msg)
{
	struct nsim_health_ctx ctx = { .break_msg = msg };

	return devlink_health_report(rep->reporter, msg, &ctx);
}

static int nsim_health_put_binary(struct devlink_fmsg *fmsg, u32 len)
{
	u8 *binary;
	u32 i;

	binary = kvmalloc(len, GFP_KERNEL | __GFP_NOWARN);
	if (!binary)
		return -ENOMEM;
	for (i = 0; i < len; i++)
		binary[i] = i & 0xff;
	devlink_fmsg_binary_pair_put(fmsg, "test_binary", binary, len);
	kvfree(binary);
	return 0;
}

static void nsim_health_put_nests(struct devlink_fmsg *fmsg,
				  const struct nsim_dev_health *health)
{
	int i;

	devlink_fmsg_pair_nest_start(fmsg, "test_nest");
	devlink_fmsg_obj_nest_start(fmsg);
	devlink_fmsg_bool_pair_put(fmsg, "nested_test_bool", false);
	devlink_fmsg_u8_pair_put(fmsg, "nested_test_u8", 0);
	devlink_fmsg_obj_nest_end(fmsg);
	devlink_fmsg_pair_nest_end(fmsg);
	/* 6.12's netdevsim has this stray end: the core must still send it */
	if (READ_ONCE(health->nesting_6_12))
		devlink_fmsg_arr_pair_nest_end(fmsg);

	devlink_fmsg_arr_pair_nest_start(fmsg, "test_u32_array");
	for (i = 0; i < 10; i++)
		devlink_fmsg_u32_put(fmsg, i);
	devlink_fmsg_arr_pair_nest_end(fmsg);

	devlink_fmsg_arr_pair_nest_start(fmsg, "test_array_of_objects");
	for (i = 0; i < 10; i++) {
		devlink_fmsg_obj_nest_start(fmsg);
		devlink_fmsg_bool_pair_put(fmsg, "in_array_nested_test_bool",
					   false);
		devlink_fmsg_u8_pair_put(fmsg, "in_array_nested_test_u8", i);
		devlink_fmsg_obj_nest_end(fmsg);
	}
	devlink_fmsg_arr_pair_nest_end(fmsg);
}

/* Sample of every value type and nesting kind, shared by dump and diagnose */
static int nsim_health_put_samples(struct devlink_fmsg *fmsg,
				   const struct nsim_dev_health *health)
{
	int err;

	devlink_fmsg_bool_pair_put(fmsg, "test_bool", true);
	devlink_fmsg_u8_pair_put(fmsg, "test_u8", 1);
	devlink_fmsg_u32_pair_put(fmsg, "test_u32", 3);
	devlink_fmsg_u64_pair_put(fmsg, "test_u64", 4);
	devlink_fmsg_string_pair_put(fmsg, "test_string", "somestring");

	err = nsim_health_put_binary(fmsg, READ_ONCE(health->binary_len));
	if (err)
		return err;

	nsim_health_put_nests(fmsg, health);
	return 0;
}

/*
 * An array "elems" of @count objects, element i holding @first + i, sizes
 * a dump or diagnose at will. Dumps start at their "dump_seq", which tells
 * dumps apart: a reader that stitched two dumps together sees a gap in the
 * sequence.
 */
static int nsim_health_put_elems(struct devlink_fmsg *fmsg, u32 first,
				 u32 count)
{
	u32 i;

	if (!count)
		return 0;

	devlink_fmsg_arr_pair_nest_start(fmsg, "elems");
	for (i = 0; i < count; i++) {
		devlink_fmsg_obj_nest_start(fmsg);
		devlink_fmsg_u32_pair_put(fmsg, "elem", first + i);
		devlink_fmsg_obj_nest_end(fmsg);
		/* Millions of elements may be asked for: stay killable. */
		if (!(i % 1024)) {
			if (fatal_signal_pending(current))
				return -EINTR;
			cond_resched();
		}
	}
	devlink_fmsg_arr_pair_nest_end(fmsg);
	return 0;
}

static int nsim_health_recover(struct devlink_health_reporter *reporter,
			       void *priv_ctx, struct netlink_ext_ack *extack)
{
	struct nsim_health_rep *rep = devlink_health_reporter_priv(reporter);
	u32 delay_ms = READ_ONCE(rep->health->recover_delay_ms);
	const struct nsim_health_ctx *ctx = priv_ctx;
	char *msg;

	if (nsim_health_op_after_teardown(rep))
		return -ENODEV;
	/* A slow device reset; a killed caller need not sit it out. */
	if (delay_ms)
		msleep_interruptible(delay_ms);

	if (READ_ONCE(rep->health->fail_recover)) {
		NL_SET_ERR_MSG_MOD(extack, "Recovery failure injected by fail_recover");
		return -EINVAL;
	}

	/* A recovery asked from user space has no context to remember. */
	if (!ctx)
		return 0;

	msg = kstrdup(ctx->break_msg, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&rep->msg_lock);
	swap(msg, rep->recovered_break_msg);
	mutex_unlock(&rep->msg_lock);
	kfree(msg);
	return 0;
}

static int nsim_health_dump(struct devlink_health_reporter *reporter,
			    struct devlink_fmsg *fmsg, void *priv_ctx,
			    struct netlink_ext_ack *extack)
{
	struct nsim_health_rep *rep = devlink_health_reporter_priv(reporter);
	u32 fault = READ_ONCE(rep->health->fail_dump);
	const struct nsim_health_ctx *ctx = priv_ctx;
	u32 seq;
	int err;

	if (nsim_health_op_after_teardown(rep))
		return -ENODEV;
	if (fault) {
		NL_SET_ERR_MSG_MOD(extack, "Dump failure injected by fail_dump");
		return nsim_health_fault_err(fault);
	}

	if (ctx)
		devlink_fmsg_string_pair_put(fmsg, "break_message",
					     ctx->break_msg);

	err = nsim_health_put_samples(fmsg, rep->health);
	if (err)
		return err;

	seq = atomic_inc_return(&rep->health->dump_seq);
	devlink_fmsg_u32_pair_put(fmsg, "dump_seq", seq);
	return nsim_health_put_elems(fmsg, seq,
				     READ_ONCE(rep->health->dump_elems));
}

static int nsim_health_diagnose(struct devlink_health_reporter *reporter,
				struct devlink_fmsg *fmsg,
				struct netlink_ext_ack *extack)
{
	struct nsim_health_rep *rep = devlink_health_reporter_priv(reporter);
	u32 fault = READ_ONCE(rep->health->fail_diagnose);
	int err;

	if (nsim_health_op_after_teardown(rep))
		return -ENODEV;
	if (fault) {
		NL_SET_ERR_MSG_MOD(extack, "Diagnose failure injected by fail_diagnose");
		return nsim_health_fault_err(fault);
	}

	mutex_lock(&rep->msg_lock);
	if (rep->recovered_break_msg)
		devlink_fmsg_string_pair_put(fmsg, "recovered_break_message",
					     rep->recovered_break_msg);
	mutex_unlock(&rep->msg_lock);

	err = nsim_health_put_samples(fmsg, rep->health);
	if (err)
		return err;

	return nsim_health_put_elems(fmsg, 0,
				     READ_ONCE(rep->health->diagnose_elems));
}

static int nsim_health_test(struct devlink_health_reporter *reporter,
			    struct netlink_ext_ack *extack)
{
	struct nsim_health_rep *rep = devlink_health_reporter_priv(reporter);
	u32 fault = READ_ONCE(rep->health->fail_test);

	if (nsim_health_op_after_teardown(rep))
		return -ENODEV;
	if (fault) {
		NL_SET_ERR_MSG_MOD(extack, "Test failure injected by fail_test");
		return nsim_health_fault_err(fault);
	}

	/*
	 * The core calls the op with the instance lock held, which a
	 * synchronous report takes: report the way a device event handler
	 * does, with the nowait API. The dump and recovery run later from
	 * the core's work, and their outcome (recovered, refused by the
	 * grace period, failed) is the core's to show, not the op's.
	 */
	devlink_health_report_nowait(reporter, NSIM_HEALTH_TEST_MSG);
	return 0;
}

static int nsim_empty_dump(struct devlink_health_reporter *reporter,
			   struct devlink_fmsg *fmsg, void *priv_ctx,
			   struct netlink_ext_ack *extack)
{
	return 0;
}

static int nsim_empty_diagnose(struct devlink_health_reporter *reporter,
			       struct devlink_fmsg *fmsg,
			       struct netlink_ext_ack *extack)
{
	return 0;
}

static const struct devlink_health_reporter_ops nsim_empty_reporter_ops = {
	.name = "empty",
	.dump = nsim_empty_dump,
	.diagnose = nsim_empty_diagnose,
};

static const struct devlink_health_reporter_ops nsim_dummy_reporter_ops = {
	.name = "dummy",
	.recover = nsim_health_recover,
	.dump = nsim_health_dump,
	.diagnose = nsim_health_diagnose,
	.test = nsim_health_test,
};

static const struct devlink_health_reporter_ops nsim_noop_reporter_ops = {
	.name = "noop",
};

/*
 * The packet a hung Tx queue holds at its head: an Ethernet, IPv4, UDP
 * frame with its headers set, as a driver's Tx timeout handler finds it.
 */
static struct sk_buff *nsim_tx_stuck_skb(void)
{
	struct sk_buff *skb;

	skb = alloc_skb(NSIM_HEALTH_TX_SKB_LEN, GFP_KERNEL);
	if (!skb)
		return NULL;
	skb_put_zero(skb, NSIM_HEALTH_TX_SKB_LEN);
	skb_reset_mac_header(skb);
	skb_set_network_header(skb, ETH_HLEN);
	skb_set_transport_header(skb, ETH_HLEN + sizeof(struct iphdr));
	skb->protocol = htons(ETH_P_IP);
	skb->ip_summed = CHECKSUM_PARTIAL;
	return skb;
}

static int nsim_tx_dump(struct devlink_health_reporter *reporter,
			struct devlink_fmsg *fmsg, void *priv_ctx,
			struct netlink_ext_ack *extack)
{
	const struct nsim_health_ctx *ctx = priv_ctx;
	struct sk_buff *skb;

	skb = nsim_tx_stuck_skb();
	if (!skb)
		return -ENOMEM;
	if (ctx)
		devlink_fmsg_put(fmsg, "break_message", ctx->break_msg);
	devlink_fmsg_put(fmsg, "queue", (u16)0);
	devlink_fmsg_dump_skb(fmsg, skb);
	consume_skb(skb);
	return 0;
}

/* One pair of each type devlink_fmsg_put() takes, the way a driver uses it */
static int nsim_tx_diagnose(struct devlink_health_reporter *reporter,
			    struct devlink_fmsg *fmsg,
			    struct netlink_ext_ack *extack)
{
	const char *state = "running";
	bool stopped = false;

	devlink_fmsg_put(fmsg, "queue", (u16)0);
	devlink_fmsg_put(fmsg, "stopped", stopped);
	devlink_fmsg_put(fmsg, "state", state);
	devlink_fmsg_put(fmsg, "ring size", (u32)NSIM_HEALTH_TX_RING_SIZE);
	devlink_fmsg_put(fmsg, "cq pending", (u8)0);
	devlink_fmsg_put(fmsg, "last error", -ETIMEDOUT);
	devlink_fmsg_put(fmsg, "bytes", (u64)0);
	return 0;
}

static const struct devlink_health_reporter_ops nsim_tx_reporter_ops = {
	.name = "tx",
	.recover = nsim_health_recover,
	.dump = nsim_tx_dump,
	.diagnose = nsim_tx_diagnose,
	.default_graceful_period = NSIM_HEALTH_TX_GRACE_MS,
	.default_burst_period = NSIM_HEALTH_TX_BURST_MS,
};

static const struct devlink_health_reporter_ops nsim_port_reporter_ops = {
	.name = "port_dummy",
	.recover = nsim_health_recover,
	.dump = nsim_health_dump,
	.diagnose = nsim_health_diagnose,
	.test = nsim_health_test,
};

static const struct devlink_health_reporter_ops * const
nsim_health_dev_rep_ops[NSIM_HEALTH_REP_COUNT] = {
	[NSIM_HEALTH_REP_EMPTY] = &nsim_empty_reporter_ops,
	[NSIM_HEALTH_REP_DUMMY] = &nsim_dummy_reporter_ops,
	[NSIM_HEALTH_REP_NOOP] = &nsim_noop_reporter_ops,
	[NSIM_HEALTH_REP_TX] = &nsim_tx_reporter_ops,
};

static ssize_t nsim_health_break_write(struct file *file,
				       const char __user *data,
				       size_t count, loff_t *ppos)
{
	struct nsim_health_rep *rep = file->private_data;
	char *msg;
	int err;

	if (!count || count > PAGE_SIZE)
		return -EINVAL;
	msg = memdup_user_nul(data, count);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	if (msg[count - 1] == '\n')
		msg[count - 1] = '\0';

	err = nsim_health_report(rep, msg);
	kfree(msg);
	return err ?: count;
}

static ssize_t nsim_health_report_count_write(struct file *file,
					      const char __user *data,
					      size_t count, loff_t *ppos)
{
	struct nsim_health_rep *rep = file->private_data;
	unsigned int reports, i;
	int err;

	err = kstrtouint_from_user(data, count, 0, &reports);
	if (err)
		return err;

	for (i = 0; i < reports; i++) {
		/*
		 * Aborted or failed recoveries are outcomes under test, not
		 * errors of this write: carry on.
		 */
		nsim_health_report(rep, NSIM_HEALTH_COUNT_MSG);
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return count;
}

static ssize_t nsim_health_recovery_done_write(struct file *file,
					       const char __user *data,
					       size_t count, loff_t *ppos)
{
	struct nsim_health_rep *rep = file->private_data;

	devlink_health_reporter_recovery_done(rep->reporter);
	return count;
}

static ssize_t nsim_health_state_update_write(struct file *file,
					      const char __user *data,
					      size_t count, loff_t *ppos)
{
	struct nsim_health_rep *rep = file->private_data;
	enum devlink_health_reporter_state state;
	char *buf;

	if (!count || count > NSIM_HEALTH_STATE_MAX_LEN)
		return -EINVAL;
	buf = memdup_user_nul(data, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);

	if (sysfs_streq(buf, "healthy")) {
		state = DEVLINK_HEALTH_REPORTER_STATE_HEALTHY;
	} else if (sysfs_streq(buf, "error")) {
		state = DEVLINK_HEALTH_REPORTER_STATE_ERROR;
	} else {
		kfree(buf);
		return -EINVAL;
	}
	kfree(buf);

	devlink_health_reporter_state_update(rep->reporter, state);
	return count;
}

static ssize_t nsim_health_report_nowait_write(struct file *file,
					       const char __user *data,
					       size_t count, loff_t *ppos)
{
	struct nsim_health_rep *rep = file->private_data;
	unsigned int reports, i;
	int err;

	err = kstrtouint_from_user(data, count, 0, &reports);
	if (err)
		return err;

	for (i = 0; i < reports; i++) {
		/* A cancelled recovery is an outcome under test: carry on. */
		devlink_health_report_nowait(rep->reporter,
					     NSIM_HEALTH_NOWAIT_MSG);
		if (fatal_signal_pending(current))
			return -EINTR;
		cond_resched();
	}
	return count;
}

static int nsim_health_batch_parse(const char __user *data, size_t count,
				   unsigned int *reports)
{
	int err;

	err = kstrtouint_from_user(data, count, 0, reports);
	if (err)
		return err;
	if (!*reports || *reports > NSIM_HEALTH_BATCH_MAX)
		return -EINVAL;
	return 0;
}

static enum hrtimer_restart nsim_health_hardirq_fire(struct hrtimer *timer)
{
	struct nsim_health_rep *rep;

	rep = container_of(timer, struct nsim_health_rep, hardirq_timer);
	devlink_health_report_nowait(rep->reporter, NSIM_HEALTH_HARDIRQ_MSG);
	if (atomic_dec_return(&rep->hardirq_left) <= 0)
		return HRTIMER_NORESTART;
	hrtimer_set_expires(timer, ktime_add_ns(ktime_get(),
						NSIM_HEALTH_HARDIRQ_GAP_NS));
	return HRTIMER_RESTART;
}

static ssize_t nsim_health_report_hardirq_write(struct file *file,
						const char __user *data,
						size_t count, loff_t *ppos)
{
	struct nsim_health_rep *rep = file->private_data;
	unsigned int reports;
	int err;

	err = nsim_health_batch_parse(data, count, &reports);
	if (err)
		return err;
	/*
	 * Reports left mean the timer runs. Once they are down to 0 it may
	 * still be in its last callback: starting it again then is fine.
	 */
	if (atomic_cmpxchg(&rep->hardirq_left, 0, reports))
		return -EBUSY;
	hrtimer_start(&rep->hardirq_timer,
		      ns_to_ktime(NSIM_HEALTH_HARDIRQ_GAP_NS),
		      HRTIMER_MODE_REL_HARD);
	return count;
}

static void nsim_health_softirq_fire(struct timer_list *timer)
{
	struct nsim_health_rep *rep = from_timer(rep, timer, softirq_timer);

	devlink_health_report_nowait(rep->reporter, NSIM_HEALTH_SOFTIRQ_MSG);
	if (atomic_dec_return(&rep->softirq_left) > 0)
		mod_timer(timer, jiffies + 1);
}

static ssize_t nsim_health_report_softirq_write(struct file *file,
						const char __user *data,
						size_t count, loff_t *ppos)
{
	struct nsim_health_rep *rep = file->private_data;
	unsigned int reports;
	int err;

	err = nsim_health_batch_parse(data, count, &reports);
	if (err)
		return err;
	if (atomic_cmpxchg(&rep->softirq_left, 0, reports))
		return -EBUSY;
	mod_timer(&rep->softirq_timer, jiffies + 1);
	return count;
}

/*
 * Removing the device takes the instance lock, then waits for the knob
 * writes in flight to end: blocking on that lock here would never end.
 * Give up after a while instead.
 */
static int nsim_health_devl_trylock(struct devlink *devlink)
{
	int i;

	for (i = 0; i < NSIM_HEALTH_LOCK_TRIES; i++) {
		if (devl_trylock(devlink))
			return 0;
		if (fatal_signal_pending(current))
			return -EINTR;
		usleep_range(500, 1000);
	}
	return -EBUSY;
}

static ssize_t nsim_health_report_locked_write(struct file *file,
					       const char __user *data,
					       size_t count, loff_t *ppos)
{
	struct nsim_health_rep *rep = file->private_data;
	struct devlink *devlink = rep->health->devlink;
	unsigned int reports, i;
	int err;

	err = nsim_health_batch_parse(data, count, &reports);
	if (err)
		return err;
	err = nsim_health_devl_trylock(devlink);
	if (err)
		return err;
	for (i = 0; i < reports; i++)
		devlink_health_report_nowait(rep->reporter,
					     NSIM_HEALTH_LOCKED_MSG);
	devl_unlock(devlink);
	return count;
}

static ssize_t nsim_health_teardown_write(struct file *file,
					  const char __user *data,
					  size_t count, loff_t *ppos)
{
	struct nsim_health_rep *rep = file->private_data;
	struct devlink *devlink = rep->health->devlink;
	unsigned int reports, i;
	int err;

	err = nsim_health_batch_parse(data, count, &reports);
	if (err)
		return err;
	err = nsim_health_devl_trylock(devlink);
	if (err)
		return err;
	for (i = 0; i < reports; i++)
		devlink_health_report_nowait(rep->reporter,
					     NSIM_HEALTH_TEARDOWN_MSG);
	devl_health_reporter_close(rep->reporter);
	devl_unlock(devlink);

	/* with the lock dropped, as drivers free their rings */
	WRITE_ONCE(rep->torn_down, true);
	msleep(100);
	return count;
}

static const struct file_operations nsim_health_break_fops = {
	.open = simple_open,
	.write = nsim_health_break_write,
	.llseek = generic_file_llseek,
	.owner = THIS_MODULE,
};

static const struct file_operations nsim_health_report_count_fops = {
	.open = simple_open,
	.write = nsim_health_report_count_write,
	.llseek = generic_file_llseek,
	.owner = THIS_MODULE,
};

static const struct file_operations nsim_health_recovery_done_fops = {
	.open = simple_open,
	.write = nsim_health_recovery_done_write,
	.llseek = generic_file_llseek,
	.owner = THIS_MODULE,
};

static const struct file_operations nsim_health_state_update_fops = {
	.open = simple_open,
	.write = nsim_health_state_update_write,
	.llseek = generic_file_llseek,
	.owner = THIS_MODULE,
};

static const struct file_operations nsim_health_report_nowait_fops = {
	.open = simple_open,
	.write = nsim_health_report_nowait_write,
	.llseek = generic_file_llseek,
	.owner = THIS_MODULE,
};

static const struct file_operations nsim_health_report_hardirq_fops = {
	.open = simple_open,
	.write = nsim_health_report_hardirq_write,
	.llseek = generic_file_llseek,
	.owner = THIS_MODULE,
};

static const struct file_operations nsim_health_report_softirq_fops = {
	.open = simple_open,
	.write = nsim_health_report_softirq_write,
	.llseek = generic_file_llseek,
	.owner = THIS_MODULE,
};

static const struct file_operations nsim_health_report_locked_fops = {
	.open = simple_open,
	.write = nsim_health_report_locked_write,
	.llseek = generic_file_llseek,
	.owner = THIS_MODULE,
};

static const struct file_operations nsim_health_teardown_fops = {
	.open = simple_open,
	.write = nsim_health_teardown_write,
	.llseek = generic_file_llseek,
	.owner = THIS_MODULE,
};

static void nsim_health_rep_setup(struct nsim_health_rep *rep,
				  struct nsim_dev_health *health)
{
	rep->health = health;
	mutex_init(&rep->msg_lock);
	hrtimer_init(&rep->hardirq_timer, CLOCK_MONOTONIC,
		     HRTIMER_MODE_REL_HARD);
	rep->hardirq_timer.function = nsim_health_hardirq_fire;
	timer_setup(&rep->softirq_timer, nsim_health_softirq_fire, 0);
}

static int nsim_health_rep_debugfs_init(struct nsim_health_rep *rep,
					struct dentry *parent,
					const char *name)
{
	rep->ddir = debugfs_create_dir(name, parent);
	if (IS_ERR(rep->ddir))
		return PTR_ERR(rep->ddir);

	debugfs_create_file("break_health", 0200, rep->ddir, rep,
			    &nsim_health_break_fops);
	debugfs_create_file("report_count", 0200, rep->ddir, rep,
			    &nsim_health_report_count_fops);
	debugfs_create_file("recovery_done", 0200, rep->ddir, rep,
			    &nsim_health_recovery_done_fops);
	debugfs_create_file("state_update", 0200, rep->ddir, rep,
			    &nsim_health_state_update_fops);
	debugfs_create_file("report_nowait", 0200, rep->ddir, rep,
			    &nsim_health_report_nowait_fops);
	debugfs_create_file("report_hardirq", 0200, rep->ddir, rep,
			    &nsim_health_report_hardirq_fops);
	debugfs_create_file("report_softirq", 0200, rep->ddir, rep,
			    &nsim_health_report_softirq_fops);
	debugfs_create_file("report_locked", 0200, rep->ddir, rep,
			    &nsim_health_report_locked_fops);
	debugfs_create_file("teardown", 0200, rep->ddir, rep,
			    &nsim_health_teardown_fops);
	return 0;
}

/*
 * Callers close the reporter and remove the knobs of @rep first: debugfs
 * removal waits for the writes in flight, so no knob can reach the
 * reporter once it is gone, and a synchronous report in flight, waiting
 * for the instance lock that the caller holds, gives up once the reporter
 * is closed.
 */
static void nsim_health_rep_release(struct nsim_health_rep *rep)
{
	/* The timers report on the reporter: stop them before it goes. */
	hrtimer_cancel(&rep->hardirq_timer);
	timer_shutdown_sync(&rep->softirq_timer);
	if (rep->reporter)
		devl_health_reporter_destroy(rep->reporter);
	kfree(rep->recovered_break_msg);
	mutex_destroy(&rep->msg_lock);
}

static int nsim_dev_health_debugfs_init(struct nsim_dev *nsim_dev,
					struct nsim_dev_health *health)
{
	struct nsim_health_rep *dummy = &health->reps[NSIM_HEALTH_REP_DUMMY];
	int i, err;

	health->ddir = debugfs_create_dir("health", nsim_dev->ddir);
	if (IS_ERR(health->ddir))
		return PTR_ERR(health->ddir);
	health->reporters_ddir = debugfs_create_dir("reporters", health->ddir);
	if (IS_ERR(health->reporters_ddir))
		return PTR_ERR(health->reporters_ddir);
	health->ports_ddir = debugfs_create_dir("ports", health->ddir);
	if (IS_ERR(health->ports_ddir))
		return PTR_ERR(health->ports_ddir);

	debugfs_create_file("break_health", 0200, health->ddir, dummy,
			    &nsim_health_break_fops);
	debugfs_create_u32("binary_len", 0600, health->ddir,
			   &health->binary_len);
	debugfs_create_bool("fail_recover", 0600, health->ddir,
			    &health->fail_recover);
	debugfs_create_u32("dump_elems", 0600, health->ddir,
			   &health->dump_elems);
	debugfs_create_u32("diagnose_elems", 0600, health->ddir,
			   &health->diagnose_elems);
	debugfs_create_bool("nesting_6_12", 0600, health->ddir,
			    &health->nesting_6_12);
	debugfs_create_u32("recover_delay_ms", 0600, health->ddir,
			   &health->recover_delay_ms);
	debugfs_create_u32("fail_dump", 0600, health->ddir,
			   &health->fail_dump);
	debugfs_create_u32("fail_diagnose", 0600, health->ddir,
			   &health->fail_diagnose);
	debugfs_create_u32("fail_test", 0600, health->ddir,
			   &health->fail_test);
	debugfs_create_atomic_t("ops_after_teardown", 0400, health->ddir,
				&health->ops_after_teardown);

	for (i = 0; i < NSIM_HEALTH_REP_COUNT; i++) {
		err = nsim_health_rep_debugfs_init(&health->reps[i],
						   health->reporters_ddir,
						   nsim_health_dev_rep_ops[i]->name);
		if (err)
			return err;
	}
	return 0;
}

static int nsim_dev_health_reps_create(struct devlink *devlink,
				       struct nsim_dev_health *health)
{
	const struct devlink_health_reporter_ops *ops;
	struct devlink_health_reporter *reporter;
	int i;

	for (i = 0; i < NSIM_HEALTH_REP_COUNT; i++) {
		ops = nsim_health_dev_rep_ops[i];
		reporter = devl_health_reporter_create(devlink, ops, 0,
						       &health->reps[i]);
		if (IS_ERR(reporter))
			return PTR_ERR(reporter);
		health->reps[i].reporter = reporter;
	}
	return 0;
}

/*
 * Close the reporter of @rep before removing its knobs: debugfs removal
 * waits for the knob writes in flight, and a synchronous report among them
 * waits for the instance lock that our caller holds until the reporter is
 * closed.
 */
static void nsim_health_rep_close(struct nsim_health_rep *rep)
{
	if (rep->reporter)
		devl_health_reporter_close(rep->reporter);
}

/* Also undoes a partial nsim_dev_health_init(). */
static void nsim_dev_health_free(struct nsim_dev_health *health)
{
	int i;

	for (i = 0; i < NSIM_HEALTH_REP_COUNT; i++)
		nsim_health_rep_close(&health->reps[i]);
	debugfs_remove_recursive(health->ddir);
	for (i = NSIM_HEALTH_REP_COUNT - 1; i >= 0; i--)
		nsim_health_rep_release(&health->reps[i]);
	kfree(health);
}

/**
 * nsim_dev_health_init() - create the device reporters and their knobs
 * @nsim_dev: netdevsim device, whose debugfs directory exists
 * @devlink: devlink instance of @nsim_dev
 *
 * Context: process context, may sleep; the devlink instance lock is held.
 * Return: 0 on success, negative errno otherwise (nothing is left behind).
 */
int nsim_dev_health_init(struct nsim_dev *nsim_dev, struct devlink *devlink)
{
	struct nsim_dev_health *health;
	int err, i;

	devl_assert_locked(devlink);

	health = kzalloc(sizeof(*health), GFP_KERNEL);
	if (!health)
		return -ENOMEM;
	health->devlink = devlink;
	health->binary_len = NSIM_HEALTH_BINARY_LEN_DEFAULT;
	for (i = 0; i < NSIM_HEALTH_REP_COUNT; i++)
		nsim_health_rep_setup(&health->reps[i], health);

	/* a knob may be written as soon as it exists: reporters first */
	err = nsim_dev_health_reps_create(devlink, health);
	if (err)
		goto err_health_free;

	err = nsim_dev_health_debugfs_init(nsim_dev, health);
	if (err)
		goto err_health_free;

	nsim_dev->health = health;
	return 0;

err_health_free:
	nsim_dev_health_free(health);
	return err;
}

/**
 * nsim_dev_health_exit() - destroy the device reporters and their knobs
 * @nsim_dev: netdevsim device whose ports are already gone
 *
 * Context: process context, may sleep; the devlink instance lock is held.
 */
void nsim_dev_health_exit(struct nsim_dev *nsim_dev)
{
	struct nsim_dev_health *health = nsim_dev->health;

	devl_assert_locked(priv_to_devlink(nsim_dev));

	nsim_dev->health = NULL;
	nsim_dev_health_free(health);
}

/* Also undoes a partial nsim_dev_port_health_init(). */
static void nsim_port_health_free(struct nsim_health_rep *rep)
{
	nsim_health_rep_close(rep);
	debugfs_remove_recursive(rep->ddir);
	nsim_health_rep_release(rep);
	kfree(rep);
}

/**
 * nsim_dev_port_health_init() - create the reporter of a port and its knobs
 * @nsim_dev: netdevsim device of the port
 * @nsim_dev_port: port whose devlink port is registered
 *
 * A device left without health state by a failed reload gets ports
 * without reporter.
 *
 * Context: process context, may sleep; the devlink instance lock is held.
 * Return: 0 on success, negative errno otherwise (nothing is left behind).
 */
int nsim_dev_port_health_init(struct nsim_dev *nsim_dev,
			      struct nsim_dev_port *nsim_dev_port)
{
	struct nsim_dev_health *health = nsim_dev->health;
	struct devlink_health_reporter *reporter;
	struct nsim_health_rep *rep;
	char name[16];
	int err;

	devl_assert_locked(priv_to_devlink(nsim_dev));

	if (!health)
		return 0;

	rep = kzalloc(sizeof(*rep), GFP_KERNEL);
	if (!rep)
		return -ENOMEM;
	nsim_health_rep_setup(rep, health);

	reporter = devl_port_health_reporter_create(&nsim_dev_port->devlink_port,
						    &nsim_port_reporter_ops,
						    0, rep);
	if (IS_ERR(reporter)) {
		err = PTR_ERR(reporter);
		goto err_rep_free;
	}
	rep->reporter = reporter;

	snprintf(name, sizeof(name), "%u", nsim_dev_port->port_index);
	err = nsim_health_rep_debugfs_init(rep, health->ports_ddir, name);
	if (err)
		goto err_rep_free;

	nsim_dev_port->health = rep;
	return 0;

err_rep_free:
	nsim_port_health_free(rep);
	return err;
}

/**
 * nsim_dev_port_health_exit() - destroy the reporter of a port and its knobs
 * @nsim_dev_port: port whose devlink port is still registered
 *
 * Context: process context, may sleep; the devlink instance lock is held.
 */
void nsim_dev_port_health_exit(struct nsim_dev_port *nsim_dev_port)
{
	struct nsim_health_rep *rep = nsim_dev_port->health;

	devl_assert_locked(nsim_dev_port->devlink_port.devlink);

	if (!rep)
		return;

	nsim_dev_port->health = NULL;
	nsim_port_health_free(rep);
}
