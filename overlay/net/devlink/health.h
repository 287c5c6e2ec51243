/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal interfaces of the devlink health core.
 *
 * The core is split by concern, one file each, and this header is grouped
 * by the file that defines each symbol:
 *
 *   health_fmsg.c  formatted message (fmsg) engine: encoding, validation,
 *                  serialization into netlink with a resumable cursor
 *   health.c       reporter registry and state machine: create/destroy,
 *                  report, recovery decision, dump capture, driver API
 *   health_nl.c    generic netlink handlers and notifications
 *
 * Trace points live in include/trace/events/devlink.h and are created in
 * core.c together with the other devlink trace points.
 */
#ifndef _NET_DEVLINK_HEALTH_H
#define _NET_DEVLINK_HEALTH_H

#include <linux/align.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <net/devlink.h>
#include <net/netlink.h>
#include <uapi/linux/devlink.h>

struct sk_buff;
struct netlink_ext_ack;

/* ---------------------------------------------------------------------
 * health_fmsg.c
 * ---------------------------------------------------------------------
 */

/*
 * Upper bound on the encoded size of one fmsg. A producer that goes past
 * it gets -EMSGSIZE recorded and the fmsg is refused as a whole, so a
 * runaway dump callback cannot eat the machine's memory.
 */
#define DEVLINK_FMSG_SIZE_MAX	(64U << 20)

/*
 * Largest name or value payload of one item: the same bound as upstream
 * 6.12. Needs <net/genetlink.h> where it is used.
 */
#define DEVLINK_FMSG_MAX_SIZE	(GENLMSG_DEFAULT_SIZE - GENL_HDRLEN - NLA_HDRLEN)

/*
 * Largest binary value stored: binary data is cut in values of this size.
 * One such value, with its type attribute, the DEVLINK_ATTR_FMSG nest and
 * the netlink and genetlink headers, fits in NLMSG_GOODSIZE, the least
 * netlink_dump() gives a DUMP_GET message whatever the reader's buffer.
 * A multiple of 16 bytes, the width of a line of binary data in the
 * devlink tool's output, so that the cut does not show in it.
 */
#define DEVLINK_FMSG_BINARY_PIECE					\
	ALIGN_DOWN(NLMSG_GOODSIZE - NLMSG_HDRLEN - GENL_HDRLEN -	\
		   NLA_HDRLEN - NLA_ALIGN(NLA_HDRLEN + sizeof(u8)) -	\
		   NLA_HDRLEN, 16)

/**
 * struct devlink_fmsg_cursor - resume point of a serialization
 * @chunk: index of the chunk holding the next item to emit
 * @offset: byte offset of that item inside the chunk
 *
 * Zero-initialized it means "from the start". Only meaningful for the fmsg
 * it was advanced on; callers that keep it across netlink messages must
 * detect a replaced fmsg on their own (see the dump generation in health.c).
 */
struct devlink_fmsg_cursor {
	u32 chunk;
	u32 offset;
};

struct devlink_fmsg *devlink_fmsg_alloc(void);
void devlink_fmsg_free(struct devlink_fmsg *fmsg);
int devlink_fmsg_finish(struct devlink_fmsg *fmsg);
bool devlink_fmsg_malformed(const struct devlink_fmsg *fmsg);
size_t devlink_fmsg_len(const struct devlink_fmsg *fmsg);
size_t devlink_fmsg_mem(const struct devlink_fmsg *fmsg);
bool devlink_fmsg_cursor_done(const struct devlink_fmsg *fmsg,
			      const struct devlink_fmsg_cursor *cursor);
int devlink_fmsg_fill(const struct devlink_fmsg *fmsg, struct sk_buff *skb,
		      struct devlink_fmsg_cursor *cursor);

#if IS_ENABLED(CONFIG_DEVLINK_HEALTH_KUNIT_TEST)
/* Lower the size limit of one fmsg so the KUnit suite can hit it cheaply. */
void devlink_fmsg_set_size_max(struct devlink_fmsg *fmsg, size_t size_max);
#endif

/* ---------------------------------------------------------------------
 * health.c
 * ---------------------------------------------------------------------
 */

/**
 * struct devlink_health_config - recovery policy a user can tune with SET
 * @graceful_period: minimum time, in ms, between two automatic recoveries,
 *	or, with a burst period, between the end of a burst window and the
 *	next automatic recovery
 * @burst_period: length, in ms, of the burst window that the first
 *	recovery of a burst of errors opens: automatic recoveries are allowed
 *	inside it, and the grace period starts when it closes. 0 (no window)
 *	whenever @graceful_period is 0.
 * @auto_recover: run ops->recover from devlink_health_report()
 * @auto_dump: store a dump from devlink_health_report() if none is stored
 *
 * Kept as one struct so that SET replaces it as a whole, under
 * &devlink_health_reporter.lock.
 */
struct devlink_health_config {
	u64 graceful_period;
	u64 burst_period;
	bool auto_recover;
	bool auto_dump;
};

/*
 * Rate limit of a reporter's kernel log lines (errors reported, recoveries
 * failed): at most DEVLINK_HEALTH_LOG_BURST lines every
 * DEVLINK_HEALTH_LOG_INTERVAL jiffies.
 */
#define DEVLINK_HEALTH_LOG_INTERVAL	(5 * HZ)
#define DEVLINK_HEALTH_LOG_BURST	10

/**
 * enum devlink_health_defer - work a report leaves to the deferred work
 * @DEVLINK_HEALTH_DEFER_NOTIFY: tell listeners about the reporter's state
 * @DEVLINK_HEALTH_DEFER_DUMP: store a dump if auto-dump is on and none is
 * @DEVLINK_HEALTH_DEFER_RECOVER: run the automatic recovery
 *
 * Flags in &devlink_health_reporter.deferred, run in this order.
 */
enum devlink_health_defer {
	DEVLINK_HEALTH_DEFER_NOTIFY = BIT(0),
	DEVLINK_HEALTH_DEFER_DUMP = BIT(1),
	DEVLINK_HEALTH_DEFER_RECOVER = BIT(2),
};

/**
 * struct devlink_health_reporter - one health reporter
 * @list: entry in devlink->reporter_list or devlink_port->reporter_list;
 *	protected by the instance lock (devlink->lock)
 * @id: unique, monotonically increasing id assigned at create; since
 *	reporters are appended to their list, each list is sorted by @id,
 *	which GET dumps use as a stable resume key. Immutable.
 * @ops: driver callbacks. Immutable.
 * @priv: driver cookie. Immutable.
 * @devlink: owning instance. Immutable. The reporter holds a reference on
 *	it (devlink_try_get()) until it is freed, so that a run of
 *	@deferred_work that outlives destroy can still take the instance lock.
 * @devlink_port: owning port, NULL for an instance reporter. Immutable.
 * @refcount: one reference from create to destroy, plus one for each queued
 *	run of @deferred_work; the last put frees the reporter
 * @closed: no driver op may run any more: set for good by
 *	devl_health_reporter_close(), destroy, or the unregistration of the
 *	instance. Written under the instance lock; read under it before an op
 *	runs, and with READ_ONCE() by reports waiting for that lock.
 * @reloading: the instance is being reloaded: no driver op may run until
 *	the reload ends. Written and read like @closed.
 * @deferred_work: does in process context, under the instance lock, what
 *	devlink_health_report_nowait() cannot: notify, dump and recover
 * @lock: protects @health_state, @error_count, @recovery_count,
 *	@last_recovery_ts, @cfg, @deferred and @recover_inflight, and with
 *	the instance lock the stored dump's pointer and times. Taken with
 *	IRQs disabled because devlink_health_report_nowait() takes it in any
 *	context but NMI; raw, because that includes hard IRQ context on
 *	PREEMPT_RT, where a spinlock_t sleeps. Innermost lock: nothing sleeps
 *	under it, and the only lock taken under it is the workqueue's (raw
 *	too: queue_work(), cancel_work()). What user space sees (@health_state,
 *	the counters, @cfg, the stored dump's pointer and times) is written
 *	with WRITE_ONCE() and read by devlink_nl_health_reporter_fill()
 *	without @lock, so that listing reporters does not contend with
 *	reports.
 * @health_state: enum devlink_health_reporter_state; under @lock
 * @error_count: reports so far; under @lock
 * @recovery_count: successful recoveries so far; under @lock
 * @last_recovery_ts: jiffies of the recovery that opened the current burst
 *	window, that is of the last successful recovery when the burst
 *	period is 0; meaningful only when @recovery_count is not zero. Under
 *	@lock.
 * @cfg: the recovery policy; under @lock. Written under the instance
 *	lock too (create before the reporter is listed, SET), so that a
 *	read, modify, write of it under the instance lock loses no update.
 * @deferred: enum devlink_health_defer flags of the work left for
 *	@deferred_work; under @lock. The report that makes it non-zero
 *	queues @deferred_work with a reference; a run clears it as it starts,
 *	so reports made until then share that run.
 * @recover_inflight: an automatic recovery decided by
 *	devlink_health_report_nowait() is queued or running; under @lock.
 *	A nowait report that finds the reporter in error meanwhile coalesces
 *	into that recovery.
 * @dump_fmsg: the stored dump or NULL. Written under both the instance
 *	lock and @lock, so either is enough to tell whether a dump is
 *	stored: reports, which do not hold the instance lock, read it under
 *	@lock. The fmsg it points to is read and freed
 *	under the instance lock only.
 * @dump_ts: jiffies when @dump_fmsg was taken; written like @dump_fmsg
 * @dump_real_ts: wall clock ns when @dump_fmsg was taken; written like
 *	@dump_fmsg
 * @dump_gen: bumped under the instance lock each time a dump is stored or
 *	a stored dump is cleared. A reader holding a cursor into @dump_fmsg
 *	across two netlink messages compares it to detect a changed dump.
 *	Starts at 0 and never wraps, so a stored dump's generation is never 0.
 * @fmsg_warned: the kernel log was told about a malformed fmsg from the
 *	dump or diagnose op; under the instance lock, which both run under
 * @log_begin: jiffies when the current window of the log rate limit began
 * @log_lines: log lines of the reporter in that window
 * @log_missed: log lines suppressed in that window
 */
struct devlink_health_reporter {
	struct list_head list;
	u64 id;
	const struct devlink_health_reporter_ops *ops;
	void *priv;
	struct devlink *devlink;
	struct devlink_port *devlink_port;
	refcount_t refcount;
	bool closed;
	bool reloading;
	struct work_struct deferred_work;

	raw_spinlock_t lock; /* protects health_state .. log_missed */
	enum devlink_health_reporter_state health_state;
	u64 error_count;
	u64 recovery_count;
	unsigned long last_recovery_ts;
	struct devlink_health_config cfg;
	unsigned int deferred;
	bool recover_inflight;
	struct devlink_fmsg *dump_fmsg;
	unsigned long dump_ts;
	u64 dump_real_ts;
	unsigned long log_begin;
	unsigned int log_lines;
	unsigned int log_missed;

	u64 dump_gen; /* under the instance lock */
	bool fmsg_warned;
};

/**
 * struct devlink_health_recover_input - what the automatic recovery decision
 *	depends on
 * @prev_state: health state before the report being handled
 * @auto_recover: &devlink_health_config.auto_recover
 * @recover_inflight: &devlink_health_reporter.recover_inflight
 * @recovery_count: successful recoveries before the report
 * @last_recovery_ts: &devlink_health_reporter.last_recovery_ts
 * @graceful_period: &devlink_health_config.graceful_period, in ms
 * @burst_period: &devlink_health_config.burst_period, in ms
 *
 * Copied from the reporter under &devlink_health_reporter.lock, in the
 * section that counts the report (or the recovery), so the decision is
 * made on the state that report found.
 */
struct devlink_health_recover_input {
	enum devlink_health_reporter_state prev_state;
	bool auto_recover;
	bool recover_inflight;
	u64 recovery_count;
	unsigned long last_recovery_ts;
	u64 graceful_period;
	u64 burst_period;
};

/**
 * enum devlink_health_decision - what a report does about recovery
 * @DEVLINK_HEALTH_DECISION_RECOVER: run the automatic recovery
 * @DEVLINK_HEALTH_DECISION_MANUAL: auto-recover is off; leave recovery to the
 *	user, the report itself succeeds
 * @DEVLINK_HEALTH_DECISION_UNRECOVERED: cancelled, the previous error was not
 *	recovered
 * @DEVLINK_HEALTH_DECISION_GRACE: cancelled, the grace period that follows the
 *	last recovery, or the last burst window, has not passed
 * @DEVLINK_HEALTH_DECISION_COALESCED: the previous error is not recovered yet
 *	but a deferred recovery of it is queued or running; the report joins
 *	it. devlink_health_report() treats it as
 *	DEVLINK_HEALTH_DECISION_UNRECOVERED: a report made while a recovery
 *	runs is refused.
 */
enum devlink_health_decision {
	DEVLINK_HEALTH_DECISION_RECOVER,
	DEVLINK_HEALTH_DECISION_MANUAL,
	DEVLINK_HEALTH_DECISION_UNRECOVERED,
	DEVLINK_HEALTH_DECISION_GRACE,
	DEVLINK_HEALTH_DECISION_COALESCED,
};

struct devlink_health_reporter *
devlink_health_reporter_find(struct devlink *devlink,
			     struct devlink_port *port, const char *name);
void devlink_health_config_get(struct devlink_health_reporter *reporter,
			       struct devlink_health_config *cfg);
void devlink_health_config_set(struct devlink_health_reporter *reporter,
			       const struct devlink_health_config *cfg);
int devlink_health_recover(struct devlink_health_reporter *reporter,
			   void *priv_ctx, struct netlink_ext_ack *extack);
int devlink_health_dump_ensure(struct devlink_health_reporter *reporter,
			       void *priv_ctx, struct netlink_ext_ack *extack);
void devlink_health_fmsg_check(struct devlink_health_reporter *reporter,
			       const struct devlink_fmsg *fmsg);
void devlink_health_dump_clear(struct devlink_health_reporter *reporter);
int devlink_health_check_open(struct devlink_health_reporter *reporter,
			      struct netlink_ext_ack *extack);
void devlink_health_reload_down(struct devlink *devlink);
void devlink_health_reload_up(struct devlink *devlink);
void devlink_health_unregister(struct devlink *devlink);

#if IS_ENABLED(CONFIG_KUNIT)
/* static unless KUnit is enabled, for the devlink_health_state suite */
unsigned long devlink_health_now(void);
enum devlink_health_decision
devlink_health_recover_decide(const struct devlink_health_recover_input *in,
			      unsigned long now);
void devlink_health_deferred_flush(void);
int devlink_health_reporter_periods(const struct devlink_health_reporter_ops *ops,
				    u64 graceful_period,
				    struct devlink_health_config *cfg);
bool devlink_health_log_allowed(struct devlink_health_reporter *reporter,
				unsigned long now, unsigned int *missed);
#endif

/* ---------------------------------------------------------------------
 * health_nl.c
 * ---------------------------------------------------------------------
 */

void devlink_health_notify_send(struct devlink_health_reporter *reporter);

#if IS_ENABLED(CONFIG_KUNIT)
/* static unless KUnit is enabled, for the devlink_health_state suite */
int devlink_nl_health_reporter_fill(struct sk_buff *msg,
				    struct devlink_health_reporter *reporter,
				    enum devlink_command cmd, u32 portid,
				    u32 seq, int flags);
#endif

#endif /* _NET_DEVLINK_HEALTH_H */
