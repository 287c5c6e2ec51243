// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devlink health: reporter registry, state machine and driver API.
 *
 * Locking, outermost first:
 *
 * 1. The instance lock (devlink->lock, devl_lock()) protects the reporter
 *    lists of the instance and of its ports, hence reporter membership and
 *    lifetime: create and destroy require it, and every netlink operation
 *    holds it while it uses a reporter, so a reporter cannot be destroyed
 *    under a handler. Recovery and the dumps run under it too, so
 *    ops->recover and ops->dump never run concurrently with each other or
 *    with a netlink operation on the same instance. It protects the
 *    stored dump.
 * 2. &devlink_health_reporter.lock (raw spinlock, IRQs disabled: reports
 *    come from hard IRQ context, on PREEMPT_RT too) protects what
 *    a report changes and decides on: the health state, the error and
 *    recovery counts, the time of the last recovery, the recovery policy,
 *    and the work devlink_health_report_nowait() leaves to the deferred
 *    work. Reports take it in any context, so it is the innermost lock and
 *    is held only to copy or update those fields. The stored dump's
 *    pointer and times are written under both locks, so that reports and
 *    notifications, which do not hold the instance lock, may read them
 *    under this one.
 *
 * Two ways to report, one state machine: both count the error, enter the
 * error state and decide about recovery in one section under the
 * reporter's lock (devlink_health_enter_error(), deciding with
 * devlink_health_recover_decide()), so no count is lost and the decision
 * is made on the state the report found.
 *
 * - devlink_health_report() does the rest at once: it sends a
 *   notification, then takes the instance lock for the automatic dump and
 *   recovery, and returns the outcome. It sleeps, and the driver must not
 *   hold the instance lock.
 * - devlink_health_report_nowait() records the error and leaves the
 *   notification, the dump and the recovery to the reporter's deferred
 *   work, which runs them in process context under the instance lock,
 *   like a synchronous report does. It never sleeps, allocates nothing
 *   and takes no lock but the reporter's. While a recovery it decided is
 *   queued or running, reports coalesce into it.
 *
 * Closing. Driver ops (dump, recover, diagnose, test) run only under the
 * instance lock and only while the reporter is open. The core closes every
 * reporter of an instance while the instance is reloaded (from before
 * ops->reload_down until ops->reload_up returns) and for good when the
 * instance is unregistered; a driver closes one with
 * devl_health_reporter_close() before it frees what the ops use, and
 * destroy closes it too. Closing happens under the instance lock, so no op
 * is running then, and none runs afterwards: a queued run of the deferred
 * work is cancelled or finds the reporter closed. This settles three
 * problems at once:
 *
 * - Teardown does not deadlock with a synchronous report. Teardown holds
 *   the instance lock and may wait for the context that reports (a work
 *   item it flushes, a debugfs file it removes). So a synchronous report
 *   never sleeps on the instance lock, which nothing would wake: it tries
 *   it, sleeps a little on a wait queue that closing wakes, and gives up
 *   when the reporter is closed (the error is counted, the automatic
 *   recovery cancelled). Without a teardown it gets the lock and returns
 *   0, -ECANCELED or the recovery's error, as it always did.
 * - No op runs on what a driver tears down, including recoveries queued
 *   by devlink_health_report_nowait().
 * - No op runs during a reload, when the driver's state is half gone.
 *
 * Errors reported during a recovery. A recovery answers the errors counted
 * when it started: it notes the error count then, and heals the reporter
 * only if the count is the same when it ends. If more were reported while
 * it ran, any of them may have come after the device was reset: the
 * reporter stays in error, and one more recovery runs (deferred) if the
 * policy allows an automatic recovery at that moment, as for an error
 * that finds the reporter healthy.
 *
 * Lifetime: a driver uses a reporter from create to destroy, and must not
 * report, update the state or call recovery_done on a reporter that it has
 * destroyed. The reporter itself is reference counted: create holds one
 * reference, dropped by destroy, and each queued run of the deferred work
 * holds one. Destroy, under the instance lock, never waits for the
 * deferred work, which takes that lock: it closes the reporter, which
 * cancels a run that has not started, and drops the create reference; a
 * run that has started finds the reporter closed once it gets the
 * instance lock, calls no driver op and drops the last reference. The
 * reporter holds a reference on its devlink instance until it is freed,
 * so the instance lock is there to be taken.
 */

#include <linux/atomic.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/lockdep.h>
#include <linux/printk.h>
#include <linux/refcount.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <kunit/static_stub.h>
#include <kunit/visibility.h>
#include <trace/events/devlink.h>

#include "devl_internal.h"
#include "health.h"

/*
 * Source of &devlink_health_reporter.id. Global, so ids are unique and
 * increasing within every instance without a field in struct devlink; a
 * u64 does not wrap.
 */
static atomic64_t devlink_health_reporter_last_id = ATOMIC64_INIT(0);

/*
 * Runs the deferred work of every reporter. Unbound: a run may wait long
 * for an instance lock (a firmware flash holds it for minutes) and must
 * not hold up per-CPU work meanwhile. Set once at boot; should that fail,
 * reporters fall back to system_unbound_wq.
 */
static struct workqueue_struct *devlink_health_wq;

static int __init devlink_health_init(void)
{
	devlink_health_wq = alloc_workqueue("devlink_health", WQ_UNBOUND, 0);
	return devlink_health_wq ? 0 : -ENOMEM;
}
subsys_initcall(devlink_health_init);

static struct workqueue_struct *devlink_health_deferred_wq(void)
{
	return devlink_health_wq ?: system_unbound_wq;
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * devlink_health_deferred_flush() - wait for the deferred work queued so far
 *
 * For the KUnit suite, which checks what deferred reports did.
 *
 * Context: process context, may sleep; no instance lock held.
 */
VISIBLE_IF_KUNIT void devlink_health_deferred_flush(void)
{
	flush_workqueue(devlink_health_deferred_wq());
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_deferred_flush);
#endif

/**
 * devlink_health_now() - the health core's clock
 *
 * All recovery timestamps and the grace period are taken from here, so
 * that the KUnit suite can drive time through a static stub.
 *
 * Context: any.
 * Return: the current jiffies.
 */
VISIBLE_IF_KUNIT unsigned long devlink_health_now(void)
{
	KUNIT_STATIC_STUB_REDIRECT(devlink_health_now);
	return jiffies;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_now);

/*
 * The grace and burst periods are u64 of ms from user space;
 * msecs_to_jiffies() takes an unsigned int. Saturate rather than truncate,
 * so a huge period means "very long" and not a random short one. Two
 * saturated periods still add up without overflowing an unsigned long.
 */
static unsigned long devlink_health_period_jiffies(u64 period_ms)
{
	/* 0 is the common case; msecs_to_jiffies() is out of line */
	if (!period_ms)
		return 0;
	return msecs_to_jiffies(min_t(u64, period_ms, UINT_MAX));
}

/*
 * Is @now inside the burst window that the recovery at @last_recovery_ts
 * opened? There is no window before the first recovery, nor without a
 * burst period. The window is [last, last + burst): at its end the grace
 * period starts. Unsigned differences stay right across a jiffies wrap.
 */
static bool devlink_health_in_burst(u64 recovery_count,
				    unsigned long last_recovery_ts,
				    u64 burst_period, unsigned long now)
{
	return recovery_count &&
	       now - last_recovery_ts < devlink_health_period_jiffies(burst_period);
}

/**
 * devlink_health_recover_decide() - decide what a report does about recovery
 * @in: state copied when the report moved the reporter to error
 * @now: current time, in jiffies, not before @in->last_recovery_ts
 *
 * Pure function of its inputs. After a recovery, further automatic
 * recoveries are allowed during the burst window (@in->burst_period ms
 * from the recovery that opened it), then refused during the grace period
 * (@in->graceful_period ms from the end of that window), then allowed
 * again. Without a burst period the grace period follows the last
 * recovery. Each period ends exactly when its length has elapsed: a report
 * at the end of the grace period may recover, one at the end of the burst
 * window may not. Elapsed times are unsigned differences, right across a
 * jiffies wrap.
 *
 * Context: any.
 * Return: the decision, see enum devlink_health_decision.
 */
VISIBLE_IF_KUNIT enum devlink_health_decision
devlink_health_recover_decide(const struct devlink_health_recover_input *in,
			      unsigned long now)
{
	unsigned long elapsed, burst, grace;

	if (!in->auto_recover)
		return DEVLINK_HEALTH_DECISION_MANUAL;
	if (in->prev_state != DEVLINK_HEALTH_REPORTER_STATE_HEALTHY)
		return in->recover_inflight ? DEVLINK_HEALTH_DECISION_COALESCED :
					      DEVLINK_HEALTH_DECISION_UNRECOVERED;
	if (!in->recovery_count)
		return DEVLINK_HEALTH_DECISION_RECOVER;

	/* in the burst window: devlink_health_in_burst(), unrolled */
	elapsed = now - in->last_recovery_ts;
	burst = devlink_health_period_jiffies(in->burst_period);
	if (elapsed < burst)
		return DEVLINK_HEALTH_DECISION_RECOVER;
	grace = devlink_health_period_jiffies(in->graceful_period);
	if (elapsed - burst < grace)
		return DEVLINK_HEALTH_DECISION_GRACE;
	return DEVLINK_HEALTH_DECISION_RECOVER;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_recover_decide);

/* Tell listeners, if there are any, about @reporter's new state. */
static void devlink_health_notify(struct devlink_health_reporter *reporter)
{
	if (devlink_nl_notify_need(reporter->devlink))
		devlink_health_notify_send(reporter);
}

/*
 * May @reporter log a line now? At most DEVLINK_HEALTH_LOG_BURST lines in
 * DEVLINK_HEALTH_LOG_INTERVAL per reporter, so that a storm of reports on
 * one reporter floods neither the log nor hides another reporter's lines.
 * The first line of a window tells, in *@missed, how many lines the
 * previous window suppressed. Counted under @reporter's lock, which a
 * report holds anyway to count the error.
 */
VISIBLE_IF_KUNIT bool
devlink_health_log_allowed(struct devlink_health_reporter *reporter,
			   unsigned long now, unsigned int *missed)
{
	lockdep_assert_held(&reporter->lock);

	*missed = 0;
	if (!reporter->log_lines ||
	    now - reporter->log_begin >= DEVLINK_HEALTH_LOG_INTERVAL) {
		*missed = reporter->log_missed;
		reporter->log_begin = now;
		reporter->log_lines = 0;
		reporter->log_missed = 0;
	}
	if (reporter->log_lines == DEVLINK_HEALTH_LOG_BURST) {
		reporter->log_missed++;
		return false;
	}
	reporter->log_lines++;
	return true;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_log_allowed);

/*
 * One line in the kernel log about @reporter, naming its instance and
 * port, so that an admin reading the log sees health events without
 * tracing; preceded by the count of lines suppressed before it, if any.
 * Any context: printk may be called from hard IRQ.
 */
static __printf(3, 4) void
devlink_health_pr(const struct devlink_health_reporter *reporter,
		  unsigned int missed, const char *fmt, ...)
{
	struct devlink_port *port = reporter->devlink_port;
	struct device *dev = reporter->devlink->dev;
	char port_str[sizeof(" port 4294967295")] = "";
	struct va_format vaf;
	va_list args;

	if (port)
		snprintf(port_str, sizeof(port_str), " port %u", port->index);
	if (missed)
		pr_warn("devlink %s/%s%s: health reporter %s: %u log lines suppressed\n",
			dev->bus->name, dev_name(dev), port_str,
			reporter->ops->name, missed);
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_warn("devlink %s/%s%s: health reporter %s: %pV\n",
		dev->bus->name, dev_name(dev), port_str, reporter->ops->name,
		&vaf);
	va_end(args);
}

/* A rate-limited line about @reporter; see devlink_health_log_allowed(). */
static __printf(2, 3) void
devlink_health_log(struct devlink_health_reporter *reporter,
		   const char *fmt, ...)
{
	struct va_format vaf;
	unsigned long flags;
	unsigned int missed;
	va_list args;
	bool allowed;

	raw_spin_lock_irqsave(&reporter->lock, flags);
	allowed = devlink_health_log_allowed(reporter, devlink_health_now(),
					     &missed);
	raw_spin_unlock_irqrestore(&reporter->lock, flags);
	if (!allowed)
		return;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	devlink_health_pr(reporter, missed, "%pV", &vaf);
	va_end(args);
}

/**
 * struct devlink_health_report_ctx - what the first step of a report decided
 * @now: when the decision was made, in jiffies
 * @last_recovery_ts: the reporter's last recovery then, in jiffies
 * @decision: the decision
 * @want_dump: auto-dump is on and no dump was stored; checked again under
 *	the instance lock, but saves taking it when false
 * @log: the rate limit allows a log line about the report
 * @log_missed: log lines suppressed before it, see
 *	devlink_health_log_allowed()
 */
struct devlink_health_report_ctx {
	unsigned long now;
	unsigned long last_recovery_ts;
	enum devlink_health_decision decision;
	unsigned int log_missed;
	bool want_dump;
	bool log;
};

/*
 * What a report does about recovery, as the log line says it. @nowait:
 * the recovery, if any, runs later in the deferred work.
 */
static const char *
devlink_health_outcome(enum devlink_health_decision decision, bool nowait)
{
	switch (decision) {
	case DEVLINK_HEALTH_DECISION_RECOVER:
		return nowait ? "recovery queued" : "recovering";
	case DEVLINK_HEALTH_DECISION_MANUAL:
		return "auto-recover off";
	case DEVLINK_HEALTH_DECISION_GRACE:
		return "recovery refused (grace period)";
	case DEVLINK_HEALTH_DECISION_COALESCED:
		if (nowait)
			return "recovery already queued";
		fallthrough;
	case DEVLINK_HEALTH_DECISION_UNRECOVERED:
	default:
		return "recovery refused (previous error not recovered)";
	}
}

/* The line about a report, if devlink_health_enter_error() allowed one. */
static void devlink_health_log_report(struct devlink_health_reporter *reporter,
				      const struct devlink_health_report_ctx *rc,
				      const char *msg, const char *outcome)
{
	if (rc->log)
		devlink_health_pr(reporter, rc->log_missed, "error \"%s\": %s",
				  msg ?: "", outcome);
}

/**
 * devlink_health_reporter_priv() - driver cookie of a reporter
 * @reporter: the reporter
 *
 * Context: any.
 * Return: the @priv given at create.
 */
void *devlink_health_reporter_priv(struct devlink_health_reporter *reporter)
{
	return reporter->priv;
}
EXPORT_SYMBOL_GPL(devlink_health_reporter_priv);

static struct list_head *
devlink_health_reporter_list(struct devlink *devlink, struct devlink_port *port)
{
	return port ? &port->reporter_list : &devlink->reporter_list;
}

/**
 * devlink_health_reporter_find() - look a reporter up by name
 * @devlink: instance
 * @port: port whose reporters to search, or NULL for the instance's own
 * @name: reporter name
 *
 * Context: instance lock held.
 * Return: the reporter, or NULL if there is none by that name.
 */
struct devlink_health_reporter *
devlink_health_reporter_find(struct devlink *devlink,
			     struct devlink_port *port, const char *name)
{
	struct devlink_health_reporter *reporter;

	devl_assert_locked(devlink);
	list_for_each_entry(reporter,
			    devlink_health_reporter_list(devlink, port), list)
		if (!strcmp(reporter->ops->name, name))
			return reporter;
	return NULL;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_reporter_find);

/*
 * Reports waiting for the instance lock sleep here between two tries of
 * the lock; closing a reporter wakes them. See devlink_health_lock_open().
 */
static DECLARE_WAIT_QUEUE_HEAD(devlink_health_close_wq);

/* How long a report waiting for the instance lock sleeps between tries. */
#define DEVLINK_HEALTH_LOCK_RETRY_MS	10

static bool devlink_health_is_closed(const struct devlink_health_reporter *reporter)
{
	return READ_ONCE(reporter->closed) || READ_ONCE(reporter->reloading);
}

/**
 * devlink_health_check_open() - may a driver op of a reporter run?
 * @reporter: the reporter
 * @extack: extended ack, may be NULL
 *
 * Context: instance lock held, which keeps the answer true until it is
 * released.
 * Return: 0 when the reporter is open, -ENODEV when it is closed.
 */
int devlink_health_check_open(struct devlink_health_reporter *reporter,
			      struct netlink_ext_ack *extack)
{
	devl_assert_locked(reporter->devlink);

	if (!devlink_health_is_closed(reporter))
		return 0;
	NL_SET_ERR_MSG(extack, "Reporter is closed: its device is being reloaded or torn down");
	return -ENODEV;
}

/*
 * Take the instance lock for a synchronous report, unless the reporter is
 * or gets closed. Whoever tears the instance or the reporter down holds
 * that lock and may wait for the context that reports: a report sleeping
 * in devl_lock() would never wake. So it tries the lock, sleeps up to
 * DEVLINK_HEALTH_LOCK_RETRY_MS on a wait queue that closing wakes, and
 * tries again until it gets the lock or the reporter is closed.
 *
 * Return: true with the instance lock held and the reporter open; false,
 * without the lock, when the reporter is closed.
 */
static bool devlink_health_lock_open(struct devlink_health_reporter *reporter)
{
	struct devlink *devlink = reporter->devlink;

	/* the caller's own lock would be retried for ever: catch it */
	lockdep_assert_not_held(&devlink->lock);
	while (!devl_trylock(devlink))
		if (wait_event_timeout(devlink_health_close_wq,
				       devlink_health_is_closed(reporter),
				       msecs_to_jiffies(DEVLINK_HEALTH_LOCK_RETRY_MS)))
			return false;
	if (!devlink_health_is_closed(reporter))
		return true;
	devl_unlock(devlink);
	return false;
}

static void devlink_health_reporter_put(struct devlink_health_reporter *reporter);

/*
 * @reporter was just marked closed: drop the deferred work that has not
 * started (a run that has started finds the reporter closed) and wake the
 * reports waiting for the instance lock.
 */
static void devlink_health_quiesce(struct devlink_health_reporter *reporter)
{
	unsigned long flags;
	bool cancelled;

	devl_assert_locked(reporter->devlink);

	/*
	 * cancel_work() does not wait for a running work item, so it may be
	 * called under the reporter's lock, which makes the cancel and the
	 * reset of what the cancelled run had to do one step for a nowait
	 * report.
	 */
	raw_spin_lock_irqsave(&reporter->lock, flags);
	cancelled = cancel_work(&reporter->deferred_work);
	if (cancelled) {
		reporter->deferred = 0;
		reporter->recover_inflight = false;
	}
	raw_spin_unlock_irqrestore(&reporter->lock, flags);
	/* never the last reference: the caller's reporter is still created */
	if (cancelled)
		devlink_health_reporter_put(reporter);
	wake_up_all(&devlink_health_close_wq);
}

/**
 * devl_health_reporter_close() - stop the driver ops of a reporter for good
 * @reporter: the reporter
 *
 * For a driver about to free what the ops of @reporter use, before it
 * destroys the reporter: on return no op of @reporter runs and none will
 * (ops run under the instance lock, which the caller holds), including a
 * recovery queued by devlink_health_report_nowait(). Reports made
 * afterwards are still traced, counted and notified, but take no dump and
 * run no recovery (devlink_health_report() returns -ECANCELED where it
 * would have recovered), and a devlink_health_report() waiting for the
 * instance lock gives up. The reporter stays listed with its state and
 * counters until destroyed; user requests that need an op fail with
 * -ENODEV. Destroy closes the reporter too.
 *
 * Context: process context, instance lock held.
 */
void devl_health_reporter_close(struct devlink_health_reporter *reporter)
{
	devl_assert_locked(reporter->devlink);

	WRITE_ONCE(reporter->closed, true);
	devlink_health_quiesce(reporter);
}
EXPORT_SYMBOL_GPL(devl_health_reporter_close);

/* Call @fn on every reporter of @devlink: its own, then its ports'. */
static void devlink_health_visit_reporters(void (*fn)(struct devlink_health_reporter *r),
					   struct devlink *devlink)
{
	struct devlink_health_reporter *reporter;
	struct devlink_port *port;
	unsigned long index;

	devl_assert_locked(devlink);

	list_for_each_entry(reporter, &devlink->reporter_list, list)
		fn(reporter);
	xa_for_each(&devlink->ports, index, port)
		list_for_each_entry(reporter, &port->reporter_list, list)
			fn(reporter);
}

static void devlink_health_close_for_reload(struct devlink_health_reporter *reporter)
{
	WRITE_ONCE(reporter->reloading, true);
	devlink_health_quiesce(reporter);
}

static void devlink_health_open_after_reload(struct devlink_health_reporter *reporter)
{
	WRITE_ONCE(reporter->reloading, false);
}

/**
 * devlink_health_reload_down() - close the reporters of a reloading instance
 * @devlink: instance about to call ops->reload_down
 *
 * Until devlink_health_reload_up(), no driver op of the instance's
 * reporters runs, and synchronous reports do not wait for the instance
 * lock, which the reload holds while the driver tears down.
 *
 * Context: process context, instance lock held.
 */
void devlink_health_reload_down(struct devlink *devlink)
{
	devlink_health_visit_reporters(devlink_health_close_for_reload, devlink);
}

/**
 * devlink_health_reload_up() - reopen the reporters after a reload
 * @devlink: instance whose reload ended, successfully or not
 *
 * Reopens the reporters that the reload left in place; those the driver
 * created meanwhile are open already.
 *
 * Context: process context, instance lock held.
 */
void devlink_health_reload_up(struct devlink *devlink)
{
	devlink_health_visit_reporters(devlink_health_open_after_reload, devlink);
}

/**
 * devlink_health_unregister() - close every reporter of an instance for good
 * @devlink: instance being unregistered
 *
 * Drivers tear an instance down after unregistering it, under the
 * instance lock: from here on no driver op runs and no synchronous report
 * waits for that lock.
 *
 * Context: process context, instance lock held.
 */
void devlink_health_unregister(struct devlink *devlink)
{
	devlink_health_visit_reporters(devl_health_reporter_close, devlink);
}

static void devlink_health_reporter_free(struct devlink_health_reporter *reporter)
{
	if (reporter->dump_fmsg)
		devlink_fmsg_free(reporter->dump_fmsg);
	devlink_put(reporter->devlink);
	kfree(reporter);
}

/*
 * Drop a reference; the last one frees the reporter. Only destroy and the
 * deferred work hold references, both in process context.
 */
static void devlink_health_reporter_put(struct devlink_health_reporter *reporter)
{
	might_sleep();
	if (refcount_dec_and_test(&reporter->refcount))
		devlink_health_reporter_free(reporter);
}

static void devlink_health_deferred_work(struct work_struct *work);

/**
 * devlink_health_reporter_periods() - the periods a new reporter starts with
 * @ops: the reporter's ops
 * @graceful_period: the grace period the driver passed to the create call
 * @cfg: its graceful_period and burst_period are set on success
 *
 * A non-zero @graceful_period wins over @ops->default_graceful_period; the
 * burst period is @ops->default_burst_period. The rules of later kernels,
 * whose create calls take the periods from the ops only: a grace period
 * needs a recover op, since it only spaces out recoveries, and a default
 * burst period needs a default grace period.
 *
 * Context: any.
 * Return: 0, or -EINVAL when @ops and @graceful_period break those rules.
 */
VISIBLE_IF_KUNIT int
devlink_health_reporter_periods(const struct devlink_health_reporter_ops *ops,
				u64 graceful_period,
				struct devlink_health_config *cfg)
{
	if (ops->default_burst_period && !ops->default_graceful_period)
		return -EINVAL;
	if ((graceful_period || ops->default_graceful_period) && !ops->recover)
		return -EINVAL;
	cfg->graceful_period = graceful_period ?: ops->default_graceful_period;
	cfg->burst_period = ops->default_burst_period;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_reporter_periods);

static struct devlink_health_reporter *
devlink_health_reporter_new(struct devlink *devlink, struct devlink_port *port,
			    const struct devlink_health_reporter_ops *ops,
			    u64 graceful_period, void *priv)
{
	struct devlink_health_config cfg = {
		.auto_recover = !!ops->recover,
		.auto_dump = !!ops->dump,
	};
	struct devlink_health_reporter *reporter;

	devl_assert_locked(devlink);
	/* a driver bug, as in later kernels: say so loudly */
	if (WARN_ON(devlink_health_reporter_periods(ops, graceful_period, &cfg)))
		return ERR_PTR(-EINVAL);
	if (devlink_health_reporter_find(devlink, port, ops->name))
		return ERR_PTR(-EEXIST);

	reporter = kzalloc(sizeof(*reporter), GFP_KERNEL);
	if (!reporter)
		return ERR_PTR(-ENOMEM);
	/* the instance is alive while its lock is held: this cannot fail */
	if (WARN_ON(!devlink_try_get(devlink))) {
		kfree(reporter);
		return ERR_PTR(-ENODEV);
	}

	reporter->id = atomic64_inc_return(&devlink_health_reporter_last_id);
	reporter->ops = ops;
	reporter->priv = priv;
	reporter->devlink = devlink;
	reporter->devlink_port = port;
	refcount_set(&reporter->refcount, 1);
	INIT_WORK(&reporter->deferred_work, devlink_health_deferred_work);
	raw_spin_lock_init(&reporter->lock);
	/* not listed yet: nobody else sees the reporter */
	reporter->health_state = DEVLINK_HEALTH_REPORTER_STATE_HEALTHY;
	reporter->cfg = cfg;

	/* appending keeps the list sorted by id, the GET dump resume key */
	list_add_tail(&reporter->list,
		      devlink_health_reporter_list(devlink, port));
	return reporter;
}

/**
 * devl_port_health_reporter_create() - create a health reporter of a port
 * @port: port the reports relate to
 * @ops: reporter callbacks; @ops->name must be unique among @port's
 *	reporters. Must outlive the reporter.
 * @graceful_period: minimum time in ms between two automatic recoveries;
 *	0 takes @ops->default_graceful_period. Must be 0 if @ops has no
 *	recover callback.
 * @priv: driver cookie, see devlink_health_reporter_priv()
 *
 * The burst period starts as @ops->default_burst_period.
 *
 * Context: process context, instance lock held.
 * Return: the new reporter, ERR_PTR(-EEXIST) if @port already has a
 * reporter by that name, ERR_PTR(-EINVAL) with a WARN if a grace period
 * is set without a recover callback or @ops has a default burst period
 * without a default grace period, ERR_PTR(-ENOMEM).
 */
struct devlink_health_reporter *
devl_port_health_reporter_create(struct devlink_port *port,
				 const struct devlink_health_reporter_ops *ops,
				 u64 graceful_period, void *priv)
{
	return devlink_health_reporter_new(port->devlink, port, ops,
					   graceful_period, priv);
}
EXPORT_SYMBOL_GPL(devl_port_health_reporter_create);

/**
 * devlink_port_health_reporter_create() - create a health reporter of a port
 * @port: port the reports relate to
 * @ops: reporter callbacks, see devl_port_health_reporter_create()
 * @graceful_period: minimum time in ms between two automatic recoveries
 * @priv: driver cookie
 *
 * Takes the instance lock around devl_port_health_reporter_create().
 *
 * Context: process context, instance lock not held.
 * Return: as devl_port_health_reporter_create().
 */
struct devlink_health_reporter *
devlink_port_health_reporter_create(struct devlink_port *port,
				    const struct devlink_health_reporter_ops *ops,
				    u64 graceful_period, void *priv)
{
	struct devlink_health_reporter *reporter;

	devl_lock(port->devlink);
	reporter = devl_port_health_reporter_create(port, ops,
						    graceful_period, priv);
	devl_unlock(port->devlink);
	return reporter;
}
EXPORT_SYMBOL_GPL(devlink_port_health_reporter_create);

/**
 * devl_health_reporter_create() - create a health reporter of an instance
 * @devlink: instance the reports relate to
 * @ops: reporter callbacks; @ops->name must be unique among @devlink's
 *	instance reporters. Must outlive the reporter.
 * @graceful_period: minimum time in ms between two automatic recoveries;
 *	0 takes @ops->default_graceful_period. Must be 0 if @ops has no
 *	recover callback.
 * @priv: driver cookie, see devlink_health_reporter_priv()
 *
 * The burst period starts as @ops->default_burst_period.
 *
 * Context: process context, instance lock held.
 * Return: the new reporter, ERR_PTR(-EEXIST) if @devlink already has a
 * reporter by that name, ERR_PTR(-EINVAL) with a WARN if a grace period
 * is set without a recover callback or @ops has a default burst period
 * without a default grace period, ERR_PTR(-ENOMEM).
 */
struct devlink_health_reporter *
devl_health_reporter_create(struct devlink *devlink,
			    const struct devlink_health_reporter_ops *ops,
			    u64 graceful_period, void *priv)
{
	return devlink_health_reporter_new(devlink, NULL, ops,
					   graceful_period, priv);
}
EXPORT_SYMBOL_GPL(devl_health_reporter_create);

/**
 * devlink_health_reporter_create() - create a health reporter of an instance
 * @devlink: instance the reports relate to
 * @ops: reporter callbacks, see devl_health_reporter_create()
 * @graceful_period: minimum time in ms between two automatic recoveries
 * @priv: driver cookie
 *
 * Takes the instance lock around devl_health_reporter_create().
 *
 * Context: process context, instance lock not held.
 * Return: as devl_health_reporter_create().
 */
struct devlink_health_reporter *
devlink_health_reporter_create(struct devlink *devlink,
			       const struct devlink_health_reporter_ops *ops,
			       u64 graceful_period, void *priv)
{
	struct devlink_health_reporter *reporter;

	devl_lock(devlink);
	reporter = devl_health_reporter_create(devlink, ops, graceful_period,
					       priv);
	devl_unlock(devlink);
	return reporter;
}
EXPORT_SYMBOL_GPL(devlink_health_reporter_create);

/**
 * devl_health_reporter_destroy() - destroy a health reporter
 * @reporter: the reporter; the driver must not use it any more on return
 *
 * The instance lock excludes every netlink operation, so none is using
 * the reporter, and no driver op of it is running or will run: deferred
 * work that did not start is cancelled, deferred work that started waits
 * for the instance lock and then finds the reporter closed. The driver must
 * have stopped reporting on it. The memory, with the stored dump, is freed
 * here or, if a deferred run still holds it, when that run ends.
 *
 * Context: process context, instance lock held. Does not wait for the
 * deferred work.
 */
void devl_health_reporter_destroy(struct devlink_health_reporter *reporter)
{
	devl_assert_locked(reporter->devlink);

	/* emptied, so that a deferred run sees it is no longer listed */
	list_del_init(&reporter->list);
	/*
	 * Not cancel_work_sync(), which could deadlock: a started run waits
	 * for the instance lock we hold. Closing cancels a run that has not
	 * started; one that has finds the reporter closed.
	 */
	devl_health_reporter_close(reporter);
	devlink_health_reporter_put(reporter);
}
EXPORT_SYMBOL_GPL(devl_health_reporter_destroy);

/**
 * devlink_health_reporter_destroy() - destroy a health reporter
 * @reporter: the reporter; freed on return
 *
 * Takes the instance lock around devl_health_reporter_destroy().
 *
 * Context: process context, instance lock not held.
 */
void devlink_health_reporter_destroy(struct devlink_health_reporter *reporter)
{
	struct devlink *devlink = reporter->devlink;

	devl_lock(devlink);
	devl_health_reporter_destroy(reporter);
	devl_unlock(devlink);
}
EXPORT_SYMBOL_GPL(devlink_health_reporter_destroy);

/**
 * devlink_health_config_get() - read the recovery policy
 * @reporter: the reporter
 * @cfg: filled with the current policy
 *
 * Context: any but NMI; takes @reporter's lock.
 */
void devlink_health_config_get(struct devlink_health_reporter *reporter,
			       struct devlink_health_config *cfg)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&reporter->lock, flags);
	*cfg = reporter->cfg;
	raw_spin_unlock_irqrestore(&reporter->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_config_get);

/**
 * devlink_health_config_set() - replace the recovery policy
 * @reporter: the reporter
 * @cfg: new policy, usually devlink_health_config_get() then modified
 *
 * Writers are serialized by the instance lock, so a get, modify, set
 * sequence under it loses no concurrent update; @reporter's lock makes
 * the whole new policy visible at once to every reader, reports included.
 *
 * Context: instance lock held; takes @reporter's lock.
 */
void devlink_health_config_set(struct devlink_health_reporter *reporter,
			       const struct devlink_health_config *cfg)
{
	unsigned long flags;

	devl_assert_locked(reporter->devlink);
	raw_spin_lock_irqsave(&reporter->lock, flags);
	WRITE_ONCE(reporter->cfg.graceful_period, cfg->graceful_period);
	WRITE_ONCE(reporter->cfg.burst_period, cfg->burst_period);
	WRITE_ONCE(reporter->cfg.auto_recover, cfg->auto_recover);
	WRITE_ONCE(reporter->cfg.auto_dump, cfg->auto_dump);
	raw_spin_unlock_irqrestore(&reporter->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_config_set);

/**
 * devlink_health_fmsg_check() - warn once about a reporter's malformed fmsg
 * @reporter: the reporter whose dump or diagnose op built @fmsg
 * @fmsg: the finished fmsg
 *
 * An fmsg whose nest ends do not pair up with its starts is sent as it
 * is, as 6.12 sent it: drivers written for 6.12 rely on that. It is still
 * a driver bug, which one line in the kernel log names, the first time
 * only: a reporter read in a loop must not flood the log.
 *
 * Context: process context, instance lock held.
 */
void devlink_health_fmsg_check(struct devlink_health_reporter *reporter,
			       const struct devlink_fmsg *fmsg)
{
	struct devlink_port *port = reporter->devlink_port;
	struct device *dev = reporter->devlink->dev;

	devl_assert_locked(reporter->devlink);

	if (!devlink_fmsg_malformed(fmsg) || reporter->fmsg_warned)
		return;
	reporter->fmsg_warned = true;

	if (port)
		pr_warn("devlink %s/%s port %u: health reporter %s: unbalanced nest start and end calls in its dump or diagnose, sent as is\n",
			dev->bus->name, dev_name(dev), port->index,
			reporter->ops->name);
	else
		pr_warn("devlink %s/%s: health reporter %s: unbalanced nest start and end calls in its dump or diagnose, sent as is\n",
			dev->bus->name, dev_name(dev), reporter->ops->name);
}

/**
 * devlink_health_dump_ensure() - store a dump unless one is stored
 * @reporter: the reporter
 * @priv_ctx: driver context of the report, NULL from user space
 * @extack: extended ack for the dump callback, may be NULL
 *
 * A stored dump is kept until the user clears it, so the first error of a
 * series is the one left for analysis. The dump callback runs on a fresh
 * fmsg that is only published once complete and valid.
 *
 * Context: process context, instance lock held; takes @reporter's lock.
 * Return: 0 if a dump is stored on return, -EOPNOTSUPP without a dump
 * callback, -ENOMEM, or the error of the callback or of the fmsg.
 */
int devlink_health_dump_ensure(struct devlink_health_reporter *reporter,
			       void *priv_ctx, struct netlink_ext_ack *extack)
{
	unsigned long flags, ts;
	struct devlink_fmsg *fmsg;
	u64 real_ts;
	int err;

	devl_assert_locked(reporter->devlink);

	/* written under the instance lock: no need for @reporter's lock */
	if (reporter->dump_fmsg)
		return 0;
	if (!reporter->ops->dump)
		return -EOPNOTSUPP;
	err = devlink_health_check_open(reporter, extack);
	if (err)
		return err;

	fmsg = devlink_fmsg_alloc();
	if (!fmsg)
		return -ENOMEM;

	devlink_fmsg_obj_nest_start(fmsg);
	err = reporter->ops->dump(reporter, fmsg, priv_ctx, extack);
	if (err)
		goto free_fmsg;
	devlink_fmsg_obj_nest_end(fmsg);
	err = devlink_fmsg_finish(fmsg);
	if (err)
		goto free_fmsg;
	devlink_health_fmsg_check(reporter, fmsg);

	ts = devlink_health_now();
	real_ts = ktime_get_real_ns();
	raw_spin_lock_irqsave(&reporter->lock, flags);
	WRITE_ONCE(reporter->dump_ts, ts);
	WRITE_ONCE(reporter->dump_real_ts, real_ts);
	WRITE_ONCE(reporter->dump_fmsg, fmsg);
	raw_spin_unlock_irqrestore(&reporter->lock, flags);
	reporter->dump_gen++;
	return 0;

free_fmsg:
	devlink_fmsg_free(fmsg);
	return err;
}

/**
 * devlink_health_dump_clear() - drop the stored dump, if any
 * @reporter: the reporter
 *
 * Bumps the dump generation when a dump is dropped, which makes a
 * DUMP_GET read in progress fail with -EAGAIN instead of reading freed
 * memory or mixing two dumps.
 *
 * Context: process context, instance lock held; takes @reporter's lock.
 */
void devlink_health_dump_clear(struct devlink_health_reporter *reporter)
{
	struct devlink_fmsg *fmsg;
	unsigned long flags;

	devl_assert_locked(reporter->devlink);

	raw_spin_lock_irqsave(&reporter->lock, flags);
	fmsg = reporter->dump_fmsg;
	WRITE_ONCE(reporter->dump_fmsg, NULL);
	raw_spin_unlock_irqrestore(&reporter->lock, flags);

	if (fmsg) {
		reporter->dump_gen++;
		devlink_fmsg_free(fmsg);
	}
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_dump_clear);

/* What the recovery decision depends on, as @reporter is now. */
static void
devlink_health_recover_input_get(const struct devlink_health_reporter *reporter,
				 struct devlink_health_recover_input *in)
{
	lockdep_assert_held(&reporter->lock);

	in->prev_state = reporter->health_state;
	in->auto_recover = reporter->cfg.auto_recover;
	in->recover_inflight = reporter->recover_inflight;
	in->recovery_count = reporter->recovery_count;
	in->last_recovery_ts = reporter->last_recovery_ts;
	in->graceful_period = reporter->cfg.graceful_period;
	in->burst_period = reporter->cfg.burst_period;
}

/*
 * Count a recovery. Outside a burst window it opens one, or starts the
 * grace period when there is no burst period; inside a window it belongs
 * to the burst, whose window and following grace period keep counting
 * from the recovery that opened it.
 */
static void devlink_health_count_recovery(struct devlink_health_reporter *reporter)
{
	unsigned long now = devlink_health_now();

	lockdep_assert_held(&reporter->lock);

	if (!devlink_health_in_burst(reporter->recovery_count,
				     reporter->last_recovery_ts,
				     reporter->cfg.burst_period, now))
		reporter->last_recovery_ts = now;
	WRITE_ONCE(reporter->recovery_count, reporter->recovery_count + 1);
}

/**
 * devlink_health_reporter_recovery_done() - account a recovery the driver
 *	performed on its own
 * @reporter: the reporter
 *
 * Counts the recovery, which opens a burst window or starts the grace
 * period like an automatic recovery does. The health state is left
 * alone; use devlink_health_reporter_state_update() for it.
 *
 * Context: any but NMI; takes @reporter's lock.
 */
void
devlink_health_reporter_recovery_done(struct devlink_health_reporter *reporter)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&reporter->lock, flags);
	devlink_health_count_recovery(reporter);
	raw_spin_unlock_irqrestore(&reporter->lock, flags);
}
EXPORT_SYMBOL_GPL(devlink_health_reporter_recovery_done);

static void devlink_health_defer(struct devlink_health_reporter *reporter,
				 unsigned int todo);

/*
 * A recovery that started when @errors errors were counted succeeded:
 * count it, then heal the reporter if no error was reported since. Such
 * an error may have come after the device was reset, and nothing else
 * would recover it: the reporter stays in error and recovers once more,
 * through the deferred work, if the policy allows an automatic recovery
 * now, as for an error that finds the reporter healthy. Otherwise it
 * stays in error for the user to see, and a refusal by the grace period
 * is traced.
 */
static void devlink_health_recovered(struct devlink_health_reporter *reporter,
				     u64 errors)
{
	struct devlink_health_recover_input in;
	enum devlink_health_decision decision;
	unsigned long now;

	raw_spin_lock_irq(&reporter->lock);
	devlink_health_count_recovery(reporter);
	if (reporter->error_count == errors) {
		WRITE_ONCE(reporter->health_state,
			   DEVLINK_HEALTH_REPORTER_STATE_HEALTHY);
		raw_spin_unlock_irq(&reporter->lock);
		return;
	}
	devlink_health_recover_input_get(reporter, &in);
	/* decided as for an error that finds the reporter healthy */
	in.prev_state = DEVLINK_HEALTH_REPORTER_STATE_HEALTHY;
	now = devlink_health_now();
	decision = devlink_health_recover_decide(&in, now);
	if (decision == DEVLINK_HEALTH_DECISION_RECOVER) {
		reporter->recover_inflight = true;
		devlink_health_defer(reporter, DEVLINK_HEALTH_DEFER_RECOVER);
	}
	raw_spin_unlock_irq(&reporter->lock);

	if (decision == DEVLINK_HEALTH_DECISION_GRACE)
		trace_devlink_health_recover_aborted(reporter->devlink,
						     reporter->ops->name,
						     DEVLINK_HEALTH_REPORTER_STATE_ERROR,
						     now - in.last_recovery_ts);
}

/**
 * devlink_health_recover() - run the recover callback of a reporter
 * @reporter: the reporter
 * @priv_ctx: driver context of the report, NULL from user space
 * @extack: extended ack, may be NULL
 *
 * A healthy reporter has nothing to recover, whether or not it has a
 * recover callback. On success the reporter is healthy again, unless an
 * error was reported while the callback ran (see
 * devlink_health_recovered()), and listeners are told.
 *
 * Context: process context, instance lock held.
 * Return: 0 if the callback succeeded or the reporter was healthy,
 * -EOPNOTSUPP if unhealthy without a recover callback, -ENODEV if the
 * reporter is closed, or the callback's error.
 */
int devlink_health_recover(struct devlink_health_reporter *reporter,
			   void *priv_ctx, struct netlink_ext_ack *extack)
{
	enum devlink_health_reporter_state state;
	u64 errors;
	int err;

	devl_assert_locked(reporter->devlink);

	/* the errors counted here are the ones this recovery answers */
	raw_spin_lock_irq(&reporter->lock);
	state = reporter->health_state;
	errors = reporter->error_count;
	raw_spin_unlock_irq(&reporter->lock);
	if (state == DEVLINK_HEALTH_REPORTER_STATE_HEALTHY)
		return 0;
	if (!reporter->ops->recover) {
		NL_SET_ERR_MSG(extack, "Reporter has no recover operation");
		return -EOPNOTSUPP;
	}
	err = devlink_health_check_open(reporter, extack);
	if (err)
		return err;

	err = reporter->ops->recover(reporter, priv_ctx, extack);
	trace_devlink_health_recover_result(reporter->devlink,
					    reporter->ops->name, err);
	if (err) {
		devlink_health_log(reporter, "recovery failed (%d)", err);
		return err;
	}

	devlink_health_recovered(reporter, errors);
	devlink_health_notify(reporter);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_health_recover);

/*
 * First step of every report, synchronous or not: count the error, enter
 * the error state and decide about recovery, all in one section under
 * @reporter's lock, so the decision is made on the state the report found,
 * and a recovery being counted or a SET comes wholly before or after it.
 */
static void devlink_health_enter_error(struct devlink_health_reporter *reporter,
				       struct devlink_health_report_ctx *rc)
{
	struct devlink_health_recover_input in;

	lockdep_assert_held(&reporter->lock);

	rc->now = devlink_health_now();
	rc->last_recovery_ts = reporter->last_recovery_ts;
	rc->want_dump = reporter->cfg.auto_dump && !reporter->dump_fmsg;
	/* without auto-recover, the decision needs none of its inputs */
	if (reporter->cfg.auto_recover) {
		devlink_health_recover_input_get(reporter, &in);
		rc->decision = devlink_health_recover_decide(&in, rc->now);
	} else {
		rc->decision = DEVLINK_HEALTH_DECISION_MANUAL;
	}
	rc->log = devlink_health_log_allowed(reporter, rc->now, &rc->log_missed);

	WRITE_ONCE(reporter->health_state, DEVLINK_HEALTH_REPORTER_STATE_ERROR);
	WRITE_ONCE(reporter->error_count, reporter->error_count + 1);
}

/* Does the report go on to the dump and recovery, or is it cancelled? */
static bool devlink_health_report_proceeds(const struct devlink_health_report_ctx *rc)
{
	return rc->decision == DEVLINK_HEALTH_DECISION_RECOVER ||
	       rc->decision == DEVLINK_HEALTH_DECISION_MANUAL;
}

/* Trace a refused automatic recovery. Return: -ECANCELED. */
static int devlink_health_report_cancel(struct devlink_health_reporter *reporter,
					const struct devlink_health_report_ctx *rc)
{
	trace_devlink_health_recover_aborted(reporter->devlink,
					     reporter->ops->name,
					     DEVLINK_HEALTH_REPORTER_STATE_ERROR,
					     rc->now - rc->last_recovery_ts);
	return -ECANCELED;
}

/**
 * devlink_health_report() - report an error detected by the driver
 * @reporter: the reporter
 * @msg: human readable description, for the trace point
 * @priv_ctx: driver context passed to the dump and recover callbacks
 *
 * Counts the error, moves the reporter to the error state and tells
 * listeners. Then, unless the automatic recovery is refused because the
 * previous error was not recovered or the grace period has not passed,
 * stores a dump if auto-dump is on and none is stored yet, and runs the
 * recovery if auto-recover is on. The error, with @msg and what is done
 * about it, and a failed recovery are logged, a few lines per reporter
 * every few seconds at most. A report made while a recovery queued
 * by devlink_health_report_nowait() is pending finds the previous error
 * not recovered. With auto-recover off and no dump to take, the report
 * does not take the instance lock.
 *
 * Use it from process context without the instance lock, when the outcome
 * of the recovery matters to the caller or the callbacks need @priv_ctx;
 * from any other context, use devlink_health_report_nowait(). It may be
 * called from a context that the teardown of the instance or of the
 * reporter waits for: when the reporter is closed (see
 * devl_health_reporter_close()) it stops waiting for the instance lock,
 * and no dump or recovery runs.
 *
 * Context: process context, may sleep; takes the instance lock, which the
 * caller must not hold.
 * Return: 0 when recovered or when auto-recover is off, -ECANCELED when
 * the automatic recovery was refused or the reporter is closed, or the
 * error of the recovery.
 */
int devlink_health_report(struct devlink_health_reporter *reporter,
			  const char *msg, void *priv_ctx)
{
	struct devlink *devlink = reporter->devlink;
	struct devlink_health_report_ctx rc;
	int err = 0;

	might_sleep();
	WARN_ON(!msg);
	trace_devlink_health_report(devlink, reporter->ops->name, msg);

	raw_spin_lock_irq(&reporter->lock);
	devlink_health_enter_error(reporter, &rc);
	raw_spin_unlock_irq(&reporter->lock);
	devlink_health_log_report(reporter, &rc, msg,
				  devlink_health_outcome(rc.decision, false));
	devlink_health_notify(reporter);

	if (!devlink_health_report_proceeds(&rc))
		return devlink_health_report_cancel(reporter, &rc);
	/* no instance lock when there is nothing to do under it */
	if (!rc.want_dump && rc.decision != DEVLINK_HEALTH_DECISION_RECOVER)
		return 0;

	if (!devlink_health_lock_open(reporter)) {
		if (rc.decision != DEVLINK_HEALTH_DECISION_RECOVER)
			return 0;
		devlink_health_log(reporter, "recovery refused (reporter closed)");
		return devlink_health_report_cancel(reporter, &rc);
	}
	/* dump errors are not the reporter's error: the report goes on */
	if (rc.want_dump)
		devlink_health_dump_ensure(reporter, priv_ctx, NULL);
	if (rc.decision == DEVLINK_HEALTH_DECISION_RECOVER)
		err = devlink_health_recover(reporter, priv_ctx, NULL);
	devl_unlock(devlink);
	return err;
}
EXPORT_SYMBOL_GPL(devlink_health_report);

/*
 * Leave @todo (enum devlink_health_defer flags) to the deferred work. The
 * first request since the last run started queues a new run, which holds
 * a reference until it ends; the following ones join it.
 */
static void devlink_health_defer(struct devlink_health_reporter *reporter,
				 unsigned int todo)
{
	lockdep_assert_held(&reporter->lock);

	if (!reporter->deferred) {
		/* a run clears @deferred as it starts: none is pending */
		refcount_inc(&reporter->refcount);
		queue_work(devlink_health_deferred_wq(), &reporter->deferred_work);
	}
	reporter->deferred |= todo;
}

/**
 * devlink_health_report_nowait() - report an error from any context
 * @reporter: the reporter
 * @msg: human readable description, for the trace point and the log line
 *
 * Does at once what needs no sleeping: emits the devlink_health_report
 * trace event, counts the error, moves the reporter to the error state,
 * decides about recovery with the same rules as devlink_health_report()
 * and logs the error as it does. The notification, the automatic dump
 * and the automatic recovery run later in a work item of the core, in
 * process context with the instance lock held, as in a synchronous
 * report; the dump and recover callbacks get a NULL priv_ctx, as for a
 * request from user space. Reports made while an automatic recovery
 * decided here is queued or running coalesce into it: K reports make an
 * error count of K and one recovery. The outcome of the recovery shows
 * in the reporter's state and counters, in a notification and in the
 * devlink_health_recover_result trace event.
 *
 * Use it where devlink_health_report() must not be called: in hard or soft
 * interrupt context, under a spinlock, or with the instance lock held. On
 * a closed reporter (see devl_health_reporter_close()) it takes no dump
 * and queues no recovery.
 *
 * Context: any but NMI. Never sleeps, allocates nothing and takes no lock
 * but @reporter's own raw spinlock, with IRQs disabled; the instance lock
 * may be held.
 * Return: 0 when the error is recorded and the automatic recovery, if
 * auto-recover is on, is queued or already under way; -ECANCELED when the
 * automatic recovery was refused because the previous error was not
 * recovered or the grace period has not passed.
 */
int devlink_health_report_nowait(struct devlink_health_reporter *reporter,
				 const char *msg)
{
	unsigned int todo = DEVLINK_HEALTH_DEFER_NOTIFY;
	struct devlink_health_report_ctx rc;
	bool recover, closed;
	unsigned long flags;

	WARN_ON_ONCE(!msg);
	trace_devlink_health_report(reporter->devlink, reporter->ops->name,
				    msg);

	raw_spin_lock_irqsave(&reporter->lock, flags);
	devlink_health_enter_error(reporter, &rc);
	recover = rc.decision == DEVLINK_HEALTH_DECISION_RECOVER;
	/* a closed reporter runs no op: the error is only counted */
	closed = devlink_health_is_closed(reporter);
	if (!closed && rc.want_dump && devlink_health_report_proceeds(&rc))
		todo |= DEVLINK_HEALTH_DEFER_DUMP;
	if (!closed && recover) {
		todo |= DEVLINK_HEALTH_DEFER_RECOVER;
		reporter->recover_inflight = true;
	}
	devlink_health_defer(reporter, todo);
	raw_spin_unlock_irqrestore(&reporter->lock, flags);
	devlink_health_log_report(reporter, &rc, msg,
				  closed && recover ?
				  "recovery refused (reporter closed)" :
				  devlink_health_outcome(rc.decision, true));

	if (rc.decision == DEVLINK_HEALTH_DECISION_UNRECOVERED ||
	    rc.decision == DEVLINK_HEALTH_DECISION_GRACE || (closed && recover))
		return devlink_health_report_cancel(reporter, &rc);
	return 0;
}
EXPORT_SYMBOL_GPL(devlink_health_report_nowait);

/*
 * What reports left to the deferred work, in the order of a synchronous
 * report: notify, dump, recover.
 */
static void devlink_health_deferred_run(struct devlink_health_reporter *reporter)
{
	unsigned long flags;
	unsigned int todo;

	devl_assert_locked(reporter->devlink);

	raw_spin_lock_irqsave(&reporter->lock, flags);
	todo = reporter->deferred;
	reporter->deferred = 0;
	/*
	 * Closed while this run waited for the instance lock: no op runs,
	 * and only a reporter still listed is worth a notification.
	 */
	if (devlink_health_is_closed(reporter)) {
		todo &= list_empty(&reporter->list) ? 0 :
			DEVLINK_HEALTH_DEFER_NOTIFY;
		reporter->recover_inflight = false;
	}
	raw_spin_unlock_irqrestore(&reporter->lock, flags);

	if (todo & DEVLINK_HEALTH_DEFER_NOTIFY)
		devlink_health_notify(reporter);
	/* dump errors are not the reporter's error: the recovery goes on */
	if (todo & DEVLINK_HEALTH_DEFER_DUMP)
		devlink_health_dump_ensure(reporter, NULL, NULL);
	if (todo & DEVLINK_HEALTH_DEFER_RECOVER) {
		/* the outcome shows in the state, the counters and the trace */
		devlink_health_recover(reporter, NULL, NULL);
		raw_spin_lock_irqsave(&reporter->lock, flags);
		/*
		 * A recovery that found errors reported while it ran has
		 * queued the next one meanwhile: that one is in flight now.
		 */
		if (!(reporter->deferred & DEVLINK_HEALTH_DEFER_RECOVER))
			reporter->recover_inflight = false;
		raw_spin_unlock_irqrestore(&reporter->lock, flags);
	}
}

/*
 * One run of a reporter's deferred work, holding a reference on it. The
 * instance lock serializes it with closing and destroy: a reporter closed
 * while the run waited for the lock runs no op.
 */
static void devlink_health_deferred_work(struct work_struct *work)
{
	struct devlink_health_reporter *reporter;
	struct devlink *devlink;

	reporter = container_of(work, struct devlink_health_reporter,
				deferred_work);
	devlink = reporter->devlink;

	devl_lock(devlink);
	devlink_health_deferred_run(reporter);
	devl_unlock(devlink);
	devlink_health_reporter_put(reporter);
}

/**
 * devlink_health_reporter_state_update() - set the health state
 * @reporter: the reporter
 * @state: DEVLINK_HEALTH_REPORTER_STATE_HEALTHY or _ERROR
 *
 * For drivers that learn about a recovery or a failure outside
 * devlink_health_report(). Listeners are told when the state changes.
 *
 * Context: process context, may sleep (notification).
 */
void
devlink_health_reporter_state_update(struct devlink_health_reporter *reporter,
				     enum devlink_health_reporter_state state)
{
	enum devlink_health_reporter_state old;

	/* the notification may sleep, and the lock below re-enables IRQs */
	might_sleep();
	if (WARN_ON(state != DEVLINK_HEALTH_REPORTER_STATE_HEALTHY &&
		    state != DEVLINK_HEALTH_REPORTER_STATE_ERROR))
		return;

	raw_spin_lock_irq(&reporter->lock);
	old = reporter->health_state;
	WRITE_ONCE(reporter->health_state, state);
	raw_spin_unlock_irq(&reporter->lock);
	if (old == state)
		return;

	trace_devlink_health_reporter_state_update(reporter->devlink,
						   reporter->ops->name, state);
	devlink_health_notify(reporter);
}
EXPORT_SYMBOL_GPL(devlink_health_reporter_state_update);
