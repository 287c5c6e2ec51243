// SPDX-License-Identifier: GPL-2.0
/*
 * hbclient: the user-space side of `make bench`, a minimal devlink health
 * client over raw generic netlink (no libmnl, no JSON): what it times is the
 * kernel, not a printer. Built on the host by harness/bench.sh, run in the
 * guest by harness/bench/guest-bench.sh. Every read consumes all messages up
 * to the terminating NLMSG_DONE (dumps) or ACK (doit) and fails on any
 * error, and counts the fmsg values it received so that a short read cannot
 * pass for a fast one.
 *
 * Usage:
 *   hbclient [-b RCVBUF] dump     BUS DEV REPORTER REPS
 *   hbclient [-b RCVBUF] diagnose BUS DEV REPORTER REPS
 *   hbclient [-b RCVBUF] get-all  REPS
 *   hbclient clear    BUS DEV REPORTER
 *   hbclient capture  BUS DEV REPORTER DEBUGFS_DIR REPS
 *   hbclient tsc-khz                    (on the host, see below)
 *
 * -b is the size of the buffer handed to recvmsg(); netlink sizes the skbs
 * of a dump after it (at least NLMSG_GOODSIZE, at most 32 KiB). Default
 * 4096: libmnl's MNL_SOCKET_BUFFER_SIZE on x86, what the devlink tool
 * reads with.
 * Each timed repetition prints one line of key=value pairs; capture also
 * prints the memory the stored dump took: slab bytes (Slab: of
 * /proc/meminfo) and all pages (free pages plus per-CPU lists, from
 * /proc/zoneinfo), both after folding the per-CPU vmstat deltas and
 * shrinking every slab cache.
 *
 * tsc-khz prints the host's TSC frequency. Under TCG the guest TSC is the
 * host's, but a guest on a busy host fails to calibrate it (no HPET or PM
 * timer in the lab kernel) and falls back to jiffies: bench.sh hands the
 * frequency to the guest kernel with tsc_early_khz= instead.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/devlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <x86intrin.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct nl {
	int fd;
	uint16_t family;
	uint32_t seq;
	size_t rcvlen;
	char *rcvbuf;
};

/* What one request brought back. */
struct reply {
	unsigned long msgs;	/* devlink messages */
	unsigned long bytes;	/* bytes received, netlink headers included */
	unsigned long values;	/* fmsg VALUE_DATA attributes */
	unsigned long vbytes;	/* their payload bytes */
	unsigned long reporters; /* HEALTH_REPORTER nests (GET) */
};

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("hbclient: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ----- message building ----- */

struct msg {
	char buf[1024];
	struct nlmsghdr *nlh;
};

static void attr_put(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr *a = (struct nlattr *)(m->buf + NLMSG_ALIGN(m->nlh->nlmsg_len));

	if (NLMSG_ALIGN(m->nlh->nlmsg_len) + NLA_HDRLEN + NLA_ALIGN(len) > sizeof(m->buf))
		die("request too large");
	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	m->nlh->nlmsg_len = NLMSG_ALIGN(m->nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
}

static void attr_put_str(struct msg *m, uint16_t type, const char *s)
{
	attr_put(m, type, s, strlen(s) + 1);
}

static void msg_init(struct msg *m, struct nl *nl, uint16_t type, uint16_t flags,
		     uint8_t cmd)
{
	struct genlmsghdr *g;

	memset(m->buf, 0, sizeof(m->buf));
	m->nlh = (struct nlmsghdr *)m->buf;
	m->nlh->nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	m->nlh->nlmsg_type = type;
	m->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	m->nlh->nlmsg_seq = ++nl->seq;
	g = NLMSG_DATA(m->nlh);
	g->cmd = cmd;
	g->version = 1;
}

static void msg_send(struct nl *nl, struct msg *m)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };

	if (sendto(nl->fd, m->buf, m->nlh->nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) != (ssize_t)m->nlh->nlmsg_len)
		die("sendto: %s", strerror(errno));
}

/* ----- reply parsing ----- */

#define for_each_attr(a, start, len)					\
	for ((a) = (struct nlattr *)(start);				\
	     (char *)(a) + NLA_HDRLEN <= (char *)(start) + (len) &&	\
	     (a)->nla_len >= NLA_HDRLEN &&				\
	     (char *)(a) + (a)->nla_len <= (char *)(start) + (len);	\
	     (a) = (struct nlattr *)((char *)(a) + NLA_ALIGN((a)->nla_len)))

static void count_fmsg(struct nlattr *fmsg, struct reply *r)
{
	struct nlattr *a;

	for_each_attr(a, (char *)fmsg + NLA_HDRLEN, fmsg->nla_len - NLA_HDRLEN) {
		if ((a->nla_type & NLA_TYPE_MASK) == DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA) {
			r->values++;
			r->vbytes += a->nla_len - NLA_HDRLEN;
		}
	}
}

static void count_devlink_msg(struct nlmsghdr *nlh, struct reply *r)
{
	int len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	char *start = (char *)NLMSG_DATA(nlh) + GENL_HDRLEN;
	struct nlattr *a;

	r->msgs++;
	for_each_attr(a, start, len) {
		switch (a->nla_type & NLA_TYPE_MASK) {
		case DEVLINK_ATTR_FMSG:
			count_fmsg(a, r);
			break;
		case DEVLINK_ATTR_HEALTH_REPORTER:
			r->reporters++;
			break;
		}
	}
}

static const char *extack_msg(struct nlmsghdr *nlh)
{
	struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off = sizeof(*e);
	struct nlattr *a;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return "";
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	if (NLMSG_LENGTH(off) > nlh->nlmsg_len)
		return "";
	for_each_attr(a, (char *)e + off, nlh->nlmsg_len - NLMSG_LENGTH(off))
		if (a->nla_type == NLMSGERR_ATTR_MSG)
			return (char *)a + NLA_HDRLEN;
	return "";
}

/*
 * Read until the request is complete: NLMSG_DONE for a dump, the ACK for a
 * doit (which may send NLMSG_DONE-terminated multipart replies first).
 * Returns 0 or the negative errno the kernel answered with.
 */
static int nl_recv_all(struct nl *nl, int is_dump, struct reply *r,
		       const char **errmsg)
{
	struct sockaddr_nl sa;
	struct iovec iov = { nl->rcvbuf, nl->rcvlen };
	struct msghdr mh = {
		.msg_name = &sa, .msg_namelen = sizeof(sa),
		.msg_iov = &iov, .msg_iovlen = 1,
	};
	struct nlmsghdr *nlh;
	ssize_t n;

	*errmsg = "";
	for (;;) {
		n = recvmsg(nl->fd, &mh, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("recvmsg: %s", strerror(errno));
		}
		if (mh.msg_flags & MSG_TRUNC)
			die("reply truncated: raise -b (now %zu)", nl->rcvlen);
		r->bytes += n;
		for (nlh = (struct nlmsghdr *)nl->rcvbuf; NLMSG_OK(nlh, n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != nl->seq)
				continue;	/* a stale reply, not ours */
			switch (nlh->nlmsg_type) {
			case NLMSG_ERROR: {
				struct nlmsgerr *e = NLMSG_DATA(nlh);

				*errmsg = extack_msg(nlh);
				return e->error;
			}
			case NLMSG_DONE: {
				int err = 0;

				if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
					memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
				if (err < 0) {
					*errmsg = "error in NLMSG_DONE";
					return err;
				}
				if (is_dump)
					return 0;
				break;	/* a doit: the ACK follows */
			}
			default:
				if (nlh->nlmsg_type == nl->family)
					count_devlink_msg(nlh, r);
				break;
			}
		}
	}
}

/* ----- socket and family ----- */

static uint16_t resolve_family(struct nl *nl, const char *name)
{
	struct msg m;
	struct sockaddr_nl sa;
	socklen_t salen = sizeof(sa);
	struct nlmsghdr *nlh;
	struct nlattr *a;
	ssize_t n;

	msg_init(&m, nl, GENL_ID_CTRL, NLM_F_ACK, CTRL_CMD_GETFAMILY);
	attr_put_str(&m, CTRL_ATTR_FAMILY_NAME, name);
	msg_send(nl, &m);
	n = recvfrom(nl->fd, nl->rcvbuf, nl->rcvlen, 0, (struct sockaddr *)&sa,
		     &salen);
	if (n < 0)
		die("recv family: %s", strerror(errno));
	nlh = (struct nlmsghdr *)nl->rcvbuf;
	if (!NLMSG_OK(nlh, n) || nlh->nlmsg_type == NLMSG_ERROR)
		die("no generic netlink family %s", name);
	for_each_attr(a, (char *)NLMSG_DATA(nlh) + GENL_HDRLEN,
		      nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN))
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)((char *)a + NLA_HDRLEN);
	die("family %s: no id", name);
	return 0;
}

/* Consume the ACK of the family request, so it cannot be read later. */
static void drain_ack(struct nl *nl)
{
	struct reply r = {};
	const char *msg;
	int err = nl_recv_all(nl, 0, &r, &msg);

	if (err)
		die("family request: %s", strerror(-err));
}

static void nl_socket(struct nl *nl, size_t rcvlen)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, big = 256 << 20;

	nl->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
	if (nl->fd < 0)
		die("socket: %s", strerror(errno));
	if (bind(nl->fd, (struct sockaddr *)&sa, sizeof(sa)))
		die("bind: %s", strerror(errno));
	/*
	 * A doit that replies in many messages (DIAGNOSE) queues them all
	 * before we can read one: the socket must hold the whole reply.
	 */
	if (setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(nl->fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	nl->rcvlen = rcvlen;
	nl->rcvbuf = malloc(rcvlen);
	if (!nl->rcvbuf)
		die("out of memory");
}

/*
 * The family is resolved on a socket of its own: netlink sizes dump
 * messages after the largest buffer a socket ever read with, so the bench
 * socket must only ever read with the buffer under test.
 */
static void nl_open(struct nl *nl, size_t rcvlen)
{
	struct nl ctrl = {};

	nl_socket(&ctrl, 65536);
	nl_socket(nl, rcvlen);
	nl->family = resolve_family(&ctrl, DEVLINK_GENL_NAME);
	drain_ack(&ctrl);
	close(ctrl.fd);
	free(ctrl.rcvbuf);
}

/* ----- commands ----- */

static void reporter_msg(struct msg *m, struct nl *nl, uint8_t cmd,
			 uint16_t flags, char **argv)
{
	msg_init(m, nl, nl->family, flags, cmd);
	attr_put_str(m, DEVLINK_ATTR_BUS_NAME, argv[0]);
	attr_put_str(m, DEVLINK_ATTR_DEV_NAME, argv[1]);
	attr_put_str(m, DEVLINK_ATTR_HEALTH_REPORTER_NAME, argv[2]);
}

static int request(struct nl *nl, struct msg *m, int is_dump, const char *what,
		   struct reply *r, uint64_t *ns)
{
	const char *errmsg;
	uint64_t t0;
	int err;

	memset(r, 0, sizeof(*r));
	t0 = now_ns();
	msg_send(nl, m);
	err = nl_recv_all(nl, is_dump, r, &errmsg);
	*ns = now_ns() - t0;
	if (err)
		fprintf(stderr, "hbclient: %s: %s%s%s\n", what, strerror(-err),
			*errmsg ? ": " : "", errmsg);
	return err;
}

static void print_reply(const char *op, int rep, uint64_t ns,
			const struct reply *r)
{
	printf("op=%s rep=%d ns=%llu msgs=%lu bytes=%lu values=%lu vbytes=%lu reporters=%lu\n",
	       op, rep, (unsigned long long)ns, r->msgs, r->bytes, r->values,
	       r->vbytes, r->reporters);
	fflush(stdout);
}

static int cmd_read(struct nl *nl, uint8_t cmd, int is_dump, const char *op,
		    char **argv, int reps)
{
	struct reply r;
	struct msg m;
	uint64_t ns;
	int i;

	for (i = 0; i < reps; i++) {
		reporter_msg(&m, nl, cmd, is_dump ? NLM_F_DUMP : NLM_F_ACK, argv);
		if (request(nl, &m, is_dump, op, &r, &ns))
			return 1;
		print_reply(op, i, ns, &r);
	}
	return 0;
}

static int cmd_get_all(struct nl *nl, int reps)
{
	struct reply r;
	struct msg m;
	uint64_t ns;
	int i;

	for (i = 0; i < reps; i++) {
		msg_init(&m, nl, nl->family, NLM_F_DUMP,
			 DEVLINK_CMD_HEALTH_REPORTER_GET);
		if (request(nl, &m, 1, "get-all", &r, &ns))
			return 1;
		print_reply("get-all", i, ns, &r);
	}
	return 0;
}

static int cmd_clear(struct nl *nl, char **argv)
{
	struct reply r;
	struct msg m;
	uint64_t ns;

	reporter_msg(&m, nl, DEVLINK_CMD_HEALTH_REPORTER_DUMP_CLEAR, NLM_F_ACK,
		     argv);
	return request(nl, &m, 0, "clear", &r, &ns) ? 1 : 0;
}

/* ----- memory ----- */

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die("write %s: %s", path, strerror(errno));
	close(fd);
}

static size_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		die("open %s: %s", path, strerror(errno));
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	return len;
}

/*
 * Give the empty slabs that SLUB keeps cached back to the page allocator,
 * in every cache. Without it a capture after a cleared one reuses the
 * slabs the clear emptied, and a core that allocates from slab caches
 * (6.12: one kmalloc() per item) looks smaller than it is from the
 * second repetition on, while one that allocates pages (ours: chunks of
 * 16 KiB and more) does not.
 */
static void slab_shrink_all(void)
{
	char path[512];
	struct dirent *d;
	DIR *dir;

	dir = opendir("/sys/kernel/slab");
	if (!dir)
		die("open /sys/kernel/slab: %s", strerror(errno));
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/sys/kernel/slab/%s/shrink",
			 d->d_name);
		if (access(path, W_OK) == 0)
			write_file(path, "1");
	}
	closedir(dir);
}

/*
 * Slab bytes and free bytes (buddy + per-CPU lists), counters folded,
 * after shrinking the slab caches: the memory in use, not in caches.
 */
static void mem_snapshot(long long *slab, long long *free_bytes)
{
	static char buf[1 << 20];
	long long pages = 0, v;
	char *p;

	slab_shrink_all();
	write_file("/proc/sys/vm/stat_refresh", "1");
	read_file("/proc/meminfo", buf, sizeof(buf));
	p = strstr(buf, "\nSlab:");
	if (!p || sscanf(p, "\nSlab: %lld", &v) != 1)
		die("no Slab: in /proc/meminfo");
	*slab = v * 1024;

	read_file("/proc/zoneinfo", buf, sizeof(buf));
	for (p = strtok(buf, "\n"); p; p = strtok(NULL, "\n")) {
		if (sscanf(p, " pages free %lld", &v) == 1 ||
		    sscanf(p, " count: %lld", &v) == 1)
			pages += v;
	}
	*free_bytes = pages * sysconf(_SC_PAGESIZE);
}

static int cmd_capture(struct nl *nl, char **argv, int reps)
{
	long long slab0, slab1, free0, free1;
	char path[512], res[256];
	int i;

	for (i = 0; i < reps; i++) {
		if (cmd_clear(nl, argv))
			return 1;
		mem_snapshot(&slab0, &free0);
		snprintf(path, sizeof(path), "%s/capture", argv[3]);
		write_file(path, "1");
		mem_snapshot(&slab1, &free1);
		snprintf(path, sizeof(path), "%s/result", argv[3]);
		read_file(path, res, sizeof(res));
		res[strcspn(res, "\n")] = '\0';
		if (!strstr(res, " err=0"))
			die("capture failed: %s", res);
		printf("op=capture rep=%d slab=%lld pages=%lld %s\n", i,
		       slab1 - slab0, free0 - free1, res);
		fflush(stdout);
	}
	return 0;
}

static int cmd_tsc_khz(void)
{
	struct timespec ts = { 0, 500 * 1000 * 1000 };
	uint64_t c0, c1, t0, t1;
	struct timespec a;

	clock_gettime(CLOCK_MONOTONIC_RAW, &a);
	t0 = (uint64_t)a.tv_sec * 1000000000ull + a.tv_nsec;
	c0 = __rdtsc();
	nanosleep(&ts, NULL);
	clock_gettime(CLOCK_MONOTONIC_RAW, &a);
	c1 = __rdtsc();
	t1 = (uint64_t)a.tv_sec * 1000000000ull + a.tv_nsec;
	printf("%llu\n", (unsigned long long)((c1 - c0) * 1000000ull / (t1 - t0)));
	return 0;
}

static void usage(void)
{
	fputs("usage: hbclient [-b RCVBUF] dump|diagnose BUS DEV REPORTER REPS\n"
	      "       hbclient [-b RCVBUF] get-all REPS\n"
	      "       hbclient clear BUS DEV REPORTER\n"
	      "       hbclient capture BUS DEV REPORTER DEBUGFS_DIR REPS\n"
	      "       hbclient tsc-khz\n",
	      stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	size_t rcvlen = 4096;
	struct nl nl = {};
	const char *cmd;
	int opt;

	if (argc == 2 && !strcmp(argv[1], "tsc-khz"))
		return cmd_tsc_khz();
	while ((opt = getopt(argc, argv, "b:")) != -1) {
		if (opt != 'b')
			usage();
		rcvlen = strtoul(optarg, NULL, 0);
	}
	argc -= optind;
	argv += optind;
	if (argc < 1 || rcvlen < 1024)
		usage();
	cmd = argv[0];
	nl_open(&nl, rcvlen);

	if (!strcmp(cmd, "dump") && argc == 5)
		return cmd_read(&nl, DEVLINK_CMD_HEALTH_REPORTER_DUMP_GET, 1,
				"dump", argv + 1, atoi(argv[4]));
	if (!strcmp(cmd, "diagnose") && argc == 5)
		return cmd_read(&nl, DEVLINK_CMD_HEALTH_REPORTER_DIAGNOSE, 0,
				"diagnose", argv + 1, atoi(argv[4]));
	if (!strcmp(cmd, "get-all") && argc == 2)
		return cmd_get_all(&nl, atoi(argv[1]));
	if (!strcmp(cmd, "clear") && argc == 4)
		return cmd_clear(&nl, argv + 1);
	if (!strcmp(cmd, "capture") && argc == 6)
		return cmd_capture(&nl, argv + 1, atoi(argv[5]));
	usage();
	return 2;
}
