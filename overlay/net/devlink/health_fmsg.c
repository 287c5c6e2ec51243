// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * devlink health formatted message (fmsg) engine.
 *
 * A reporter's diagnose and dump callbacks describe their state with the
 * devlink_fmsg_*() calls; the core sends the result to userspace as a flat
 * stream of attributes inside DEVLINK_ATTR_FMSG nests, split over as many
 * netlink messages as needed.
 *
 * Items are stored back to back in a list of chunks, so a put allocates
 * nothing but the occasional chunk. An item is a nest start or end, a
 * name, or a value (its type and data); a fill turns each item into its
 * attributes with nla_put*(), and a value is never split from its type
 * across messages. A cursor (chunk, offset) says where the next fill
 * resumes, so reading a stored dump over many messages is linear in its
 * size.
 *
 * Chunks grow geometrically from DEVLINK_FMSG_CHUNK_MIN to
 * DEVLINK_FMSG_CHUNK_MAX: a diagnose of a few pairs costs 1 KiB, a large
 * dump its item bytes plus at most one item of unused tail per 16 KiB
 * chunk. 16 KiB chunks keep the chunk table small (a few thousand entries
 * at most under DEVLINK_FMSG_SIZE_MAX).
 *
 * A chunk opened by a large item is sized for DEVLINK_FMSG_CHUNK_ITEMS
 * such items instead, so that its unused tail, at most one item, stays
 * under 1/16 of it: the ~3.7 KiB pieces of binary data
 * (DEVLINK_FMSG_BINARY_PIECE) go in 64 KiB chunks. kvmalloc() falls back
 * to vmalloc when high-order pages are scarce.
 *
 * Nesting is not enforced: 6.12 sent whatever nest starts and ends a
 * driver put, and user space decodes the stream, so drivers written for
 * it may end a nest they never opened (6.12's own netdevsim does). Such
 * an fmsg goes out as 6.12 would send it; the engine only remembers that
 * its nesting did not pair up, for the reporter core to warn about. What
 * 6.12 refused stays refused: any put but a binary value while a binary
 * pair is open, a binary value outside one, an oversized item.
 *
 * Locking: none inside. The producer owns the fmsg until
 * devlink_fmsg_finish(); from then on it is immutable, so any number of
 * devlink_fmsg_fill() callers may read it at once, each with its own
 * cursor. Publishing a finished fmsg to readers and freeing it once no
 * reader can run is the owner's business (see health.c).
 */

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <kunit/visibility.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>
#include <uapi/linux/devlink.h>

#include "health.h"

#define DEVLINK_FMSG_CHUNK_MIN		1024U
#define DEVLINK_FMSG_CHUNK_MAX		(16U << 10)
/* items a chunk opened by a large item is sized for, see above */
#define DEVLINK_FMSG_CHUNK_ITEMS	16U

/* Initial capacity of the chunk table. */
#define DEVLINK_FMSG_CHUNKS_INIT	8U

/*
 * Open nests whose kind is remembered, to tell whether each end matches
 * its start. 6.12 had no bound on nesting and neither has the engine:
 * nests opened deeper are only counted, their ends not checked.
 */
#define DEVLINK_FMSG_NEST_KINDS		16

/* Kind of an open nest, to check that its end matches. */
enum devlink_fmsg_nest {
	DEVLINK_FMSG_NEST_OBJ,
	DEVLINK_FMSG_NEST_PAIR,
	/* the array of an array or binary pair */
	DEVLINK_FMSG_NEST_ARR,
};

/**
 * struct devlink_fmsg_item - one stored item
 * @attrtype: attribute the item is sent as: DEVLINK_ATTR_FMSG_*_NEST_START,
 *	_NEST_END, _OBJ_NAME, or _OBJ_VALUE_DATA for a value
 * @value_type: for a value, its type (enum devlink_var_attr_type), sent
 *	in a DEVLINK_ATTR_FMSG_OBJ_VALUE_TYPE attribute before its data
 * @len: bytes of @data
 * @data: the name (NUL included) or the value
 */
struct devlink_fmsg_item {
	u8 attrtype;
	u8 value_type;
	u16 len;
	u8 data[] __counted_by(len);
};

static_assert(DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA <= U8_MAX);
static_assert(DEVLINK_FMSG_MAX_SIZE <= U16_MAX);

/**
 * struct devlink_fmsg_chunk - one block of stored items
 * @data: items, each at a 4-byte aligned offset
 * @used: bytes of @data holding items; the rest is an unused tail
 */
struct devlink_fmsg_chunk {
	u8 *data;
	u32 used;
};

/**
 * struct devlink_fmsg - formatted message under construction or finished
 * @chunks: table of @nr_chunks chunks, room for @chunks_cap
 * @nr_chunks: chunks in use; only the last one still grows
 * @chunks_cap: entries allocated in @chunks
 * @tail_size: allocated size of the last chunk
 * @len: bytes the items take as attributes (without u64 alignment pads)
 * @chunk_mem: bytes allocated for chunk data
 * @size_max: bound on @len, DEVLINK_FMSG_SIZE_MAX except in KUnit tests
 * @err: first error of a put; once set, puts do nothing
 * @complete: set by devlink_fmsg_finish(); the fmsg is immutable after it
 * @binary: a binary pair is open: only binary values and its end may go
 *	in (6.12's putting_binary)
 * @malformed: an end did not match the innermost open nest, or nests
 *	were left open at devlink_fmsg_finish()
 * @depth: nests opened and not ended yet, whatever the kinds of the ends
 * @nests: kind of each of the first DEVLINK_FMSG_NEST_KINDS open nests,
 *	outermost first
 *
 * No lock: see the file comment for who may touch what and when.
 */
struct devlink_fmsg {
	struct devlink_fmsg_chunk *chunks;
	u32 nr_chunks;
	u32 chunks_cap;
	u32 tail_size;
	size_t len;
	size_t chunk_mem;
	size_t size_max;
	int err;
	bool complete;
	bool binary;
	bool malformed;
	u32 depth;
	u8 nests[DEVLINK_FMSG_NEST_KINDS];
};

/* ----- storage ----- */

/* The first error is the one to report: later ones follow from it. */
static void devlink_fmsg_set_err(struct devlink_fmsg *fmsg, int err)
{
	if (!fmsg->err)
		fmsg->err = err;
}

static int devlink_fmsg_chunks_grow(struct devlink_fmsg *fmsg)
{
	struct devlink_fmsg_chunk *chunks;
	u32 cap;

	cap = fmsg->chunks_cap ? fmsg->chunks_cap * 2 : DEVLINK_FMSG_CHUNKS_INIT;
	chunks = kvrealloc(fmsg->chunks, array_size(cap, sizeof(*chunks)),
			   GFP_KERNEL);
	if (!chunks)
		return -ENOMEM;

	fmsg->chunks = chunks;
	fmsg->chunks_cap = cap;
	return 0;
}

/* Start a new chunk that can hold at least @need bytes. */
static int devlink_fmsg_chunk_add(struct devlink_fmsg *fmsg, u32 need)
{
	u32 size;
	u8 *data;
	int err;

	if (fmsg->nr_chunks == fmsg->chunks_cap) {
		err = devlink_fmsg_chunks_grow(fmsg);
		if (err)
			return err;
	}

	/* Powers of two: kmalloc() and vmalloc() waste nothing on them. */
	size = clamp(fmsg->tail_size * 2, DEVLINK_FMSG_CHUNK_MIN,
		     DEVLINK_FMSG_CHUNK_MAX);
	size = max(size, roundup_pow_of_two(need * DEVLINK_FMSG_CHUNK_ITEMS));
	data = kvmalloc(size, GFP_KERNEL);
	if (!data)
		return -ENOMEM;

	fmsg->chunks[fmsg->nr_chunks].data = data;
	fmsg->chunks[fmsg->nr_chunks].used = 0;
	fmsg->nr_chunks++;
	fmsg->tail_size = size;
	fmsg->chunk_mem += size;
	return 0;
}

/* Bytes an item with @len bytes of data takes in a chunk. */
static u32 devlink_fmsg_item_size(u16 len)
{
	return ALIGN(struct_size_t(struct devlink_fmsg_item, data, len), 4);
}

/*
 * Store an item at the tail of the stream: @attrtype with @len bytes of
 * @data, and @value_type for a value. Errors are recorded in @fmsg.
 */
static void devlink_fmsg_add_item(struct devlink_fmsg *fmsg, u8 attrtype,
				  u8 value_type, const void *data, u16 len)
{
	u32 size = devlink_fmsg_item_size(len);
	struct devlink_fmsg_item *item;
	struct devlink_fmsg_chunk *tail;
	size_t wire;

	/* A put that failed half-way must not be followed by its rest. */
	if (fmsg->err)
		return;

	wire = nla_total_size(len);
	if (attrtype == DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA)
		wire += nla_total_size(sizeof(u8));
	if (wire > fmsg->size_max - fmsg->len) {
		devlink_fmsg_set_err(fmsg, -EMSGSIZE);
		return;
	}

	tail = fmsg->nr_chunks ? &fmsg->chunks[fmsg->nr_chunks - 1] : NULL;
	if (!tail || fmsg->tail_size - tail->used < size) {
		/* The old tail keeps its unused end: items never straddle. */
		if (devlink_fmsg_chunk_add(fmsg, size)) {
			devlink_fmsg_set_err(fmsg, -ENOMEM);
			return;
		}
		tail = &fmsg->chunks[fmsg->nr_chunks - 1];
	}

	item = (struct devlink_fmsg_item *)(tail->data + tail->used);
	item->attrtype = attrtype;
	item->value_type = value_type;
	item->len = len;
	if (len)
		memcpy(item->data, data, len);
	tail->used += size;
	fmsg->len += wire;
}

static void devlink_fmsg_put_flag(struct devlink_fmsg *fmsg, u8 attrtype)
{
	devlink_fmsg_add_item(fmsg, attrtype, 0, NULL, 0);
}

static void devlink_fmsg_put_name(struct devlink_fmsg *fmsg, const char *name,
				  u16 len)
{
	devlink_fmsg_add_item(fmsg, DEVLINK_ATTR_FMSG_OBJ_NAME, 0, name, len);
}

/*
 * The value types are the NLA_* policy types the fmsg has always sent;
 * the uapi names them, so the numbers are fixed for good.
 */
static_assert((int)DEVLINK_VAR_ATTR_TYPE_U8 == (int)NLA_U8);
static_assert((int)DEVLINK_VAR_ATTR_TYPE_U16 == (int)NLA_U16);
static_assert((int)DEVLINK_VAR_ATTR_TYPE_U32 == (int)NLA_U32);
static_assert((int)DEVLINK_VAR_ATTR_TYPE_U64 == (int)NLA_U64);
static_assert((int)DEVLINK_VAR_ATTR_TYPE_STRING == (int)NLA_STRING);
static_assert((int)DEVLINK_VAR_ATTR_TYPE_FLAG == (int)NLA_FLAG);
static_assert((int)DEVLINK_VAR_ATTR_TYPE_NUL_STRING == (int)NLA_NUL_STRING);
static_assert((int)DEVLINK_VAR_ATTR_TYPE_BINARY == (int)NLA_BINARY);

/* A value: sent as its type and data attributes. */
static void devlink_fmsg_put_value(struct devlink_fmsg *fmsg,
				   enum devlink_var_attr_type type,
				   const void *data, size_t len)
{
	if (len > DEVLINK_FMSG_MAX_SIZE) {
		devlink_fmsg_set_err(fmsg, -EMSGSIZE);
		return;
	}
	devlink_fmsg_add_item(fmsg, DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA, type, data,
			      len);
}

/* ----- nesting rules ----- */

/*
 * Whether a put may go on: no error recorded yet, and a binary pair is
 * open only if this put is one of the two allowed in it (binary value,
 * binary pair end). These are 6.12's refusals, recorded as -EINVAL.
 */
static bool devlink_fmsg_may_put(struct devlink_fmsg *fmsg, bool binary)
{
	/* A finished fmsg may be under concurrent fills: never touch it. */
	if (WARN_ON_ONCE(fmsg->complete))
		return false;
	if (fmsg->err)
		return false;
	if (fmsg->binary != binary) {
		devlink_fmsg_set_err(fmsg, -EINVAL);
		return false;
	}
	return true;
}

static void devlink_fmsg_nest_open(struct devlink_fmsg *fmsg,
				   enum devlink_fmsg_nest kind, u8 attrtype)
{
	if (fmsg->depth < DEVLINK_FMSG_NEST_KINDS)
		fmsg->nests[fmsg->depth] = kind;
	fmsg->depth++;
	devlink_fmsg_put_flag(fmsg, attrtype);
}

/*
 * End the innermost nest, which should be of @kind. An end that matches
 * no start, or a start of another kind, is put all the same, as 6.12 did,
 * and only remembered.
 */
static void devlink_fmsg_nest_close(struct devlink_fmsg *fmsg,
				    enum devlink_fmsg_nest kind)
{
	if (!fmsg->depth) {
		fmsg->malformed = true;
	} else {
		fmsg->depth--;
		if (fmsg->depth < DEVLINK_FMSG_NEST_KINDS &&
		    fmsg->nests[fmsg->depth] != kind)
			fmsg->malformed = true;
	}
	devlink_fmsg_put_flag(fmsg, DEVLINK_ATTR_FMSG_NEST_END);
}

/*
 * Open a pair named @name and, unless @kind is PAIR, the array in it;
 * @binary makes it a binary pair.
 */
static void devlink_fmsg_pair_open(struct devlink_fmsg *fmsg, const char *name,
				   enum devlink_fmsg_nest kind, bool binary)
{
	size_t len;

	if (!devlink_fmsg_may_put(fmsg, false))
		return;

	len = strlen(name) + 1;
	if (len > DEVLINK_FMSG_MAX_SIZE) {
		devlink_fmsg_set_err(fmsg, -EMSGSIZE);
		return;
	}

	devlink_fmsg_nest_open(fmsg, DEVLINK_FMSG_NEST_PAIR,
			       DEVLINK_ATTR_FMSG_PAIR_NEST_START);
	devlink_fmsg_put_name(fmsg, name, len);
	if (kind != DEVLINK_FMSG_NEST_PAIR)
		devlink_fmsg_nest_open(fmsg, kind,
				       DEVLINK_ATTR_FMSG_ARR_NEST_START);
	fmsg->binary = binary;
}

/* End the array of an array or binary pair, then the pair. */
static void devlink_fmsg_arr_close(struct devlink_fmsg *fmsg, bool binary)
{
	if (!devlink_fmsg_may_put(fmsg, binary))
		return;

	fmsg->binary = false;
	devlink_fmsg_nest_close(fmsg, DEVLINK_FMSG_NEST_ARR);
	devlink_fmsg_nest_close(fmsg, DEVLINK_FMSG_NEST_PAIR);
}

/*
 * Binary data as values of at most DEVLINK_FMSG_BINARY_PIECE bytes, so
 * that each fits a DUMP_GET message of any reader; @len 0 is one empty
 * value.
 */
static void devlink_fmsg_put_binary(struct devlink_fmsg *fmsg, const u8 *data,
				    u32 len)
{
	u32 piece;

	do {
		piece = min_t(u32, len, DEVLINK_FMSG_BINARY_PIECE);
		devlink_fmsg_put_value(fmsg, DEVLINK_VAR_ATTR_TYPE_BINARY, data, piece);
		data += piece;
		len -= piece;
	} while (len && !fmsg->err);
}

/* ----- driver API ----- */

/*
 * About the nest ends below: an end is expected to match the innermost
 * open nest, but, as in 6.12, one that does not (or that matches nothing)
 * is put in the stream as it is. The reporter core sends the fmsg all the
 * same and warns once per reporter (see devlink_health_fmsg_check()).
 */

/**
 * devlink_fmsg_obj_nest_start - open an object
 * @fmsg: formatted message being built
 *
 * Errors (a binary pair open, no memory) are recorded in @fmsg and make
 * every later put a no-op; the reporter core reports them when it
 * finishes the message.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_obj_nest_start(struct devlink_fmsg *fmsg)
{
	if (devlink_fmsg_may_put(fmsg, false))
		devlink_fmsg_nest_open(fmsg, DEVLINK_FMSG_NEST_OBJ,
				       DEVLINK_ATTR_FMSG_OBJ_NEST_START);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_obj_nest_start);

/**
 * devlink_fmsg_obj_nest_end - close the object opened last
 * @fmsg: formatted message being built
 *
 * Puts one nest end. If the innermost open nest is not an object, the
 * end is put anyway and @fmsg is marked malformed, not refused.
 * Records -EINVAL in @fmsg if a binary pair is open.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_obj_nest_end(struct devlink_fmsg *fmsg)
{
	if (devlink_fmsg_may_put(fmsg, false))
		devlink_fmsg_nest_close(fmsg, DEVLINK_FMSG_NEST_OBJ);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_obj_nest_end);

/**
 * devlink_fmsg_pair_nest_start - open a named pair
 * @fmsg: formatted message being built
 * @name: name of the pair, NUL-terminated
 *
 * The pair then takes one value, object or array. A @name longer than
 * DEVLINK_FMSG_MAX_SIZE records -EMSGSIZE in @fmsg.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_pair_nest_start(struct devlink_fmsg *fmsg, const char *name)
{
	devlink_fmsg_pair_open(fmsg, name, DEVLINK_FMSG_NEST_PAIR, false);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_pair_nest_start);

/**
 * devlink_fmsg_pair_nest_end - close the pair opened last
 * @fmsg: formatted message being built
 *
 * Puts one nest end. If the innermost open nest is not a pair, the end is
 * put anyway and @fmsg is marked malformed, not refused. Records -EINVAL
 * in @fmsg if a binary pair is open.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_pair_nest_end(struct devlink_fmsg *fmsg)
{
	if (devlink_fmsg_may_put(fmsg, false))
		devlink_fmsg_nest_close(fmsg, DEVLINK_FMSG_NEST_PAIR);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_pair_nest_end);

/**
 * devlink_fmsg_arr_pair_nest_start - open a named array
 * @fmsg: formatted message being built
 * @name: name of the array, NUL-terminated
 *
 * Opens a pair and an array in it; close both with
 * devlink_fmsg_arr_pair_nest_end().
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_arr_pair_nest_start(struct devlink_fmsg *fmsg,
				      const char *name)
{
	devlink_fmsg_pair_open(fmsg, name, DEVLINK_FMSG_NEST_ARR, false);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_arr_pair_nest_start);

/**
 * devlink_fmsg_arr_pair_nest_end - close the array opened last
 * @fmsg: formatted message being built
 *
 * Puts two nest ends, for the array and its pair. If the innermost open
 * nests are not an array in a pair, the ends are put anyway and @fmsg is
 * marked malformed, not refused. Records -EINVAL in @fmsg if a binary
 * pair is open.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_arr_pair_nest_end(struct devlink_fmsg *fmsg)
{
	devlink_fmsg_arr_close(fmsg, false);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_arr_pair_nest_end);

/**
 * devlink_fmsg_binary_pair_nest_start - open a named array of binary values
 * @fmsg: formatted message being built
 * @name: name of the array, NUL-terminated
 *
 * Until devlink_fmsg_binary_pair_nest_end(), only devlink_fmsg_binary_put()
 * is allowed; any other put records -EINVAL in @fmsg.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_binary_pair_nest_start(struct devlink_fmsg *fmsg,
					 const char *name)
{
	devlink_fmsg_pair_open(fmsg, name, DEVLINK_FMSG_NEST_ARR, true);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_binary_pair_nest_start);

/**
 * devlink_fmsg_binary_pair_nest_end - close the binary array opened last
 * @fmsg: formatted message being built
 *
 * Puts two nest ends, for the array and its pair. Records -EINVAL in
 * @fmsg if no binary pair is open.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_binary_pair_nest_end(struct devlink_fmsg *fmsg)
{
	devlink_fmsg_arr_close(fmsg, true);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_binary_pair_nest_end);

static void devlink_fmsg_bool_put(struct devlink_fmsg *fmsg, bool value)
{
	/* Sent as a FLAG typed value with a u8 payload, so that false shows too. */
	u8 data = value;

	if (devlink_fmsg_may_put(fmsg, false))
		devlink_fmsg_put_value(fmsg, DEVLINK_VAR_ATTR_TYPE_FLAG, &data, sizeof(data));
}

static void devlink_fmsg_u8_put(struct devlink_fmsg *fmsg, u8 value)
{
	if (devlink_fmsg_may_put(fmsg, false))
		devlink_fmsg_put_value(fmsg, DEVLINK_VAR_ATTR_TYPE_U8, &value, sizeof(value));
}

/**
 * devlink_fmsg_u32_put - add a u32 value
 * @fmsg: formatted message being built
 * @value: value to add
 *
 * For array elements; named values use devlink_fmsg_u32_pair_put().
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_u32_put(struct devlink_fmsg *fmsg, u32 value)
{
	if (devlink_fmsg_may_put(fmsg, false))
		devlink_fmsg_put_value(fmsg, DEVLINK_VAR_ATTR_TYPE_U32, &value, sizeof(value));
}
EXPORT_SYMBOL_GPL(devlink_fmsg_u32_put);

static void devlink_fmsg_u64_put(struct devlink_fmsg *fmsg, u64 value)
{
	if (devlink_fmsg_may_put(fmsg, false))
		devlink_fmsg_put_value(fmsg, DEVLINK_VAR_ATTR_TYPE_U64, &value, sizeof(value));
}

/**
 * devlink_fmsg_string_put - add a string value
 * @fmsg: formatted message being built
 * @value: NUL-terminated string, sent with its NUL
 *
 * A string longer than DEVLINK_FMSG_MAX_SIZE records -EMSGSIZE in @fmsg.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_string_put(struct devlink_fmsg *fmsg, const char *value)
{
	if (devlink_fmsg_may_put(fmsg, false))
		devlink_fmsg_put_value(fmsg, DEVLINK_VAR_ATTR_TYPE_NUL_STRING, value,
				       strlen(value) + 1);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_string_put);

/**
 * devlink_fmsg_binary_put - add one piece of binary data
 * @fmsg: formatted message being built
 * @value: data
 * @value_len: bytes of data, at most DEVLINK_FMSG_MAX_SIZE
 *
 * Only allowed inside devlink_fmsg_binary_pair_nest_start(); elsewhere it
 * records -EINVAL in @fmsg. A longer @value_len records -EMSGSIZE.
 *
 * A value longer than DEVLINK_FMSG_BINARY_PIECE is put as several
 * consecutive values: with its headers it would not fit the smallest
 * message a DUMP_GET reader may be given, and a value is never split
 * across messages. User space sees no difference: the devlink tool prints
 * the values of a binary array as one run of bytes (JSON) or 16 bytes a
 * line from the start of each value, and the first pieces are multiples
 * of 16 bytes.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_binary_put(struct devlink_fmsg *fmsg, const void *value,
			     u16 value_len)
{
	if (!devlink_fmsg_may_put(fmsg, true))
		return;
	if (value_len > DEVLINK_FMSG_MAX_SIZE) {
		devlink_fmsg_set_err(fmsg, -EMSGSIZE);
		return;
	}
	devlink_fmsg_put_binary(fmsg, value, value_len);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_binary_put);

/**
 * devlink_fmsg_bool_pair_put - add a named bool
 * @fmsg: formatted message being built
 * @name: name of the pair, NUL-terminated
 * @value: value to add
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_bool_pair_put(struct devlink_fmsg *fmsg, const char *name,
				bool value)
{
	devlink_fmsg_pair_nest_start(fmsg, name);
	devlink_fmsg_bool_put(fmsg, value);
	devlink_fmsg_pair_nest_end(fmsg);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_bool_pair_put);

/**
 * devlink_fmsg_u8_pair_put - add a named u8
 * @fmsg: formatted message being built
 * @name: name of the pair, NUL-terminated
 * @value: value to add
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_u8_pair_put(struct devlink_fmsg *fmsg, const char *name,
			      u8 value)
{
	devlink_fmsg_pair_nest_start(fmsg, name);
	devlink_fmsg_u8_put(fmsg, value);
	devlink_fmsg_pair_nest_end(fmsg);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_u8_pair_put);

/**
 * devlink_fmsg_u32_pair_put - add a named u32
 * @fmsg: formatted message being built
 * @name: name of the pair, NUL-terminated
 * @value: value to add
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_u32_pair_put(struct devlink_fmsg *fmsg, const char *name,
			       u32 value)
{
	devlink_fmsg_pair_nest_start(fmsg, name);
	devlink_fmsg_u32_put(fmsg, value);
	devlink_fmsg_pair_nest_end(fmsg);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_u32_pair_put);

/**
 * devlink_fmsg_u64_pair_put - add a named u64
 * @fmsg: formatted message being built
 * @name: name of the pair, NUL-terminated
 * @value: value to add
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_u64_pair_put(struct devlink_fmsg *fmsg, const char *name,
			       u64 value)
{
	devlink_fmsg_pair_nest_start(fmsg, name);
	devlink_fmsg_u64_put(fmsg, value);
	devlink_fmsg_pair_nest_end(fmsg);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_u64_pair_put);

/**
 * devlink_fmsg_string_pair_put - add a named string
 * @fmsg: formatted message being built
 * @name: name of the pair, NUL-terminated
 * @value: NUL-terminated string
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_string_pair_put(struct devlink_fmsg *fmsg, const char *name,
				  const char *value)
{
	devlink_fmsg_pair_nest_start(fmsg, name);
	devlink_fmsg_string_put(fmsg, value);
	devlink_fmsg_pair_nest_end(fmsg);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_string_pair_put);

/**
 * devlink_fmsg_binary_pair_put - add a named binary blob of any size
 * @fmsg: formatted message being built
 * @name: name of the pair, NUL-terminated
 * @value: data
 * @value_len: bytes of data
 *
 * The blob goes out as an array of binary values of
 * DEVLINK_FMSG_BINARY_PIECE bytes, the last one holding the remainder; an
 * empty blob is an empty array.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 */
void devlink_fmsg_binary_pair_put(struct devlink_fmsg *fmsg, const char *name,
				  const void *value, u32 value_len)
{
	devlink_fmsg_binary_pair_nest_start(fmsg, name);
	if (value_len && devlink_fmsg_may_put(fmsg, true))
		devlink_fmsg_put_binary(fmsg, value, value_len);
	devlink_fmsg_binary_pair_nest_end(fmsg);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_binary_pair_put);

/**
 * devlink_fmsg_dump_skb - add the metadata of a socket buffer
 * @fmsg: formatted message being built
 * @skb: the socket buffer, for instance the one a stuck Tx queue holds
 *
 * Adds a pair "skb", an object with the lengths of @skb, the offsets of
 * its MAC, network and transport headers (U32_MAX when unset, and the
 * network header length only with a transport header), its checksum
 * state and hash flags, protocol, packet type and input interface, and,
 * when a socket owns it, an object "sk" with the socket's family, type
 * and protocol; then a pair "shinfo", an object with the Tx flags, the
 * number of fragments and the GSO size, type and segment count of its
 * shared info. Names and layout are those of later kernels, so that a
 * backported driver's dump reads the same. No packet data is added:
 * dumps are readable by any admin of the instance.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL). @skb
 * must stay unchanged during the call.
 */
void devlink_fmsg_dump_skb(struct devlink_fmsg *fmsg, const struct sk_buff *skb)
{
	const struct skb_shared_info *shinfo = skb_shinfo(skb);
	bool has_mac = skb_mac_header_was_set(skb);
	bool has_trans = skb_transport_header_was_set(skb);
	const struct sock *sk = skb->sk;

	devlink_fmsg_pair_nest_start(fmsg, "skb");
	devlink_fmsg_obj_nest_start(fmsg);
	devlink_fmsg_put(fmsg, "actual len", skb->len);
	devlink_fmsg_put(fmsg, "head len", skb_headlen(skb));
	devlink_fmsg_put(fmsg, "data len", skb->data_len);
	devlink_fmsg_put(fmsg, "tail len", (u32)skb_tailroom(skb));
	/* unset offsets are U32_MAX, the -1 of later kernels put as a u32 */
	devlink_fmsg_put(fmsg, "MAC", has_mac ? skb->mac_header : U32_MAX);
	devlink_fmsg_put(fmsg, "MAC len",
			 has_mac ? skb_mac_header_len(skb) : U32_MAX);
	devlink_fmsg_put(fmsg, "network hdr", (u32)skb->network_header);
	devlink_fmsg_put(fmsg, "network hdr len",
			 has_trans ? skb_network_header_len(skb) : U32_MAX);
	devlink_fmsg_put(fmsg, "transport hdr",
			 has_trans ? skb->transport_header : U32_MAX);
	devlink_fmsg_put(fmsg, "csum", (__force u32)skb->csum);
	devlink_fmsg_put(fmsg, "csum_ip_summed", (u8)skb->ip_summed);
	devlink_fmsg_put(fmsg, "csum_complete_sw", !!skb->csum_complete_sw);
	devlink_fmsg_put(fmsg, "csum_valid", !!skb->csum_valid);
	devlink_fmsg_put(fmsg, "csum_level", (u8)skb->csum_level);
	devlink_fmsg_put(fmsg, "sw_hash", !!skb->sw_hash);
	devlink_fmsg_put(fmsg, "l4_hash", !!skb->l4_hash);
	devlink_fmsg_put(fmsg, "proto", (u16)ntohs(skb->protocol));
	devlink_fmsg_put(fmsg, "pkt_type", (u8)skb->pkt_type);
	devlink_fmsg_put(fmsg, "iif", skb->skb_iif);
	if (sk) {
		devlink_fmsg_pair_nest_start(fmsg, "sk");
		devlink_fmsg_obj_nest_start(fmsg);
		devlink_fmsg_put(fmsg, "family", (u16)sk->sk_family);
		devlink_fmsg_put(fmsg, "type", (u16)sk->sk_type);
		devlink_fmsg_put(fmsg, "proto", (u16)sk->sk_protocol);
		devlink_fmsg_obj_nest_end(fmsg);
		devlink_fmsg_pair_nest_end(fmsg);
	}
	devlink_fmsg_obj_nest_end(fmsg);
	devlink_fmsg_pair_nest_end(fmsg);

	devlink_fmsg_pair_nest_start(fmsg, "shinfo");
	devlink_fmsg_obj_nest_start(fmsg);
	devlink_fmsg_put(fmsg, "tx_flags", (u8)shinfo->tx_flags);
	devlink_fmsg_put(fmsg, "nr_frags", (u8)shinfo->nr_frags);
	devlink_fmsg_put(fmsg, "gso_size", (u16)shinfo->gso_size);
	devlink_fmsg_put(fmsg, "gso_type", (u32)shinfo->gso_type);
	devlink_fmsg_put(fmsg, "gso_segs", (u16)shinfo->gso_segs);
	devlink_fmsg_obj_nest_end(fmsg);
	devlink_fmsg_pair_nest_end(fmsg);
}
EXPORT_SYMBOL_GPL(devlink_fmsg_dump_skb);

/* ----- life cycle ----- */

/**
 * devlink_fmsg_alloc - allocate an empty formatted message
 *
 * Chunks are allocated by the puts, on demand.
 *
 * Context: Process context, may sleep (allocates with GFP_KERNEL).
 * Return: the fmsg, to be freed with devlink_fmsg_free(); NULL if out of
 * memory.
 */
struct devlink_fmsg *devlink_fmsg_alloc(void)
{
	struct devlink_fmsg *fmsg;

	fmsg = kzalloc(sizeof(*fmsg), GFP_KERNEL);
	if (!fmsg)
		return NULL;

	fmsg->size_max = DEVLINK_FMSG_SIZE_MAX;
	return fmsg;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_fmsg_alloc);

/**
 * devlink_fmsg_free - free a formatted message and all its chunks
 * @fmsg: fmsg to free, may be NULL
 *
 * Context: Process context, may sleep (chunks may come from vmalloc and
 * vfree() sleeps there): never under a spinlock. No fill may be running.
 */
void devlink_fmsg_free(struct devlink_fmsg *fmsg)
{
	u32 i;

	if (!fmsg)
		return;

	for (i = 0; i < fmsg->nr_chunks; i++)
		kvfree(fmsg->chunks[i].data);
	kvfree(fmsg->chunks);
	kfree(fmsg);
}
EXPORT_SYMBOL_IF_KUNIT(devlink_fmsg_free);

/**
 * devlink_fmsg_finish - end the construction of a formatted message
 * @fmsg: fmsg built by a reporter callback
 *
 * Marks @fmsg complete: it is immutable from now on and may be filled
 * into netlink messages. Nests still open do not make it an error, as in
 * 6.12; they mark @fmsg malformed (see devlink_fmsg_malformed()). Calling
 * it again returns the same result.
 *
 * Context: Any context; the caller owns @fmsg.
 * Return: 0 if @fmsg may be sent, else the first error kept while
 * building it (-EINVAL for a put refused in or out of a binary pair,
 * -EMSGSIZE for a too big item or fmsg, -ENOMEM).
 */
int devlink_fmsg_finish(struct devlink_fmsg *fmsg)
{
	if (!fmsg->complete) {
		if (fmsg->depth)
			fmsg->malformed = true;
		fmsg->complete = true;
	}
	return fmsg->err;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_fmsg_finish);

/**
 * devlink_fmsg_malformed - tell whether the nesting of an fmsg pairs up
 * @fmsg: finished fmsg
 *
 * Context: Any context.
 * Return: true if an end did not match the innermost open nest (or no
 * nest was open) or nests were left open: the fmsg is sent as it is, but
 * its producer has a bug.
 */
bool devlink_fmsg_malformed(const struct devlink_fmsg *fmsg)
{
	return fmsg->malformed;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_fmsg_malformed);

/**
 * devlink_fmsg_len - encoded size of a formatted message
 * @fmsg: fmsg to measure
 *
 * Context: Any context; @fmsg must not be under construction elsewhere.
 * Return: the bytes the items stored so far take as netlink attributes
 * (u64 alignment pads not counted), without the enclosing
 * DEVLINK_ATTR_FMSG nests.
 */
size_t devlink_fmsg_len(const struct devlink_fmsg *fmsg)
{
	return fmsg->len;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_fmsg_len);

/**
 * devlink_fmsg_mem - memory held by a formatted message
 * @fmsg: fmsg to measure
 *
 * Context: Any context; @fmsg must not be under construction elsewhere.
 * Return: bytes allocated for @fmsg: the structure, its chunk table and
 * its chunks.
 */
size_t devlink_fmsg_mem(const struct devlink_fmsg *fmsg)
{
	return sizeof(*fmsg) + fmsg->chunks_cap * sizeof(*fmsg->chunks) +
	       fmsg->chunk_mem;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_fmsg_mem);

#if IS_ENABLED(CONFIG_DEVLINK_HEALTH_KUNIT_TEST)
void devlink_fmsg_set_size_max(struct devlink_fmsg *fmsg, size_t size_max)
{
	fmsg->size_max = size_max;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_fmsg_set_size_max);
#endif

/* ----- serialization ----- */

/* Put the attributes of @item: a value is its type, then its data. */
static int devlink_fmsg_item_put(struct sk_buff *skb,
				 const struct devlink_fmsg_item *item)
{
	if (item->attrtype != DEVLINK_ATTR_FMSG_OBJ_VALUE_DATA)
		return nla_put(skb, item->attrtype, item->len, item->data);

	if (nla_put_u8(skb, DEVLINK_ATTR_FMSG_OBJ_VALUE_TYPE, item->value_type))
		return -EMSGSIZE;
	if (item->value_type == DEVLINK_VAR_ATTR_TYPE_U64)
		return nla_put_64bit(skb, item->attrtype, item->len, item->data,
				     DEVLINK_ATTR_PAD);
	return nla_put(skb, item->attrtype, item->len, item->data);
}

static bool devlink_fmsg_cursor_valid(const struct devlink_fmsg *fmsg,
				      const struct devlink_fmsg_cursor *cursor)
{
	if (cursor->chunk < fmsg->nr_chunks)
		return cursor->offset <= fmsg->chunks[cursor->chunk].used;
	return cursor->chunk == fmsg->nr_chunks && !cursor->offset;
}

/**
 * devlink_fmsg_cursor_done - tell whether a cursor is at the end of a stream
 * @fmsg: finished fmsg the cursor walks
 * @cursor: cursor advanced by devlink_fmsg_fill() on @fmsg
 *
 * Context: Any context.
 * Return: true if no item of @fmsg is left to emit after @cursor.
 */
bool devlink_fmsg_cursor_done(const struct devlink_fmsg *fmsg,
			      const struct devlink_fmsg_cursor *cursor)
{
	if (cursor->chunk >= fmsg->nr_chunks)
		return true;
	/* Only the last chunk can be left exhausted by a fill. */
	return cursor->chunk == fmsg->nr_chunks - 1 &&
	       cursor->offset >= fmsg->chunks[cursor->chunk].used;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_fmsg_cursor_done);

/**
 * devlink_fmsg_fill - serialize a formatted message into a netlink message
 * @fmsg: finished fmsg
 * @skb: netlink message being built
 * @cursor: where to start; advanced past the items emitted
 *
 * Adds a DEVLINK_ATTR_FMSG nest to @skb holding the items of @fmsg from
 * @cursor on, as many whole items as fit: a value never gets split from
 * its type. Several fills may run on the same @fmsg at once, each with
 * its own cursor.
 *
 * Context: Any context (no allocation, no lock); the caller keeps @fmsg
 * alive.
 * Return: 0 when the end of the stream was reached (with a cursor already
 * at the end, an empty nest is added); -EMSGSIZE when @skb filled up
 * first: @cursor points at the first item not emitted and, if it did not
 * move, @skb is left untouched; the error recorded in @fmsg if it has one;
 * -EINVAL if @fmsg is not finished or @cursor is out of its bounds.
 */
int devlink_fmsg_fill(const struct devlink_fmsg *fmsg, struct sk_buff *skb,
		      struct devlink_fmsg_cursor *cursor)
{
	struct devlink_fmsg_cursor pos = *cursor;
	const struct devlink_fmsg_chunk *chunk;
	const struct devlink_fmsg_item *item;
	struct nlattr *nest;
	void *mark;
	int err = 0;

	if (fmsg->err)
		return fmsg->err;
	if (WARN_ON_ONCE(!fmsg->complete) ||
	    WARN_ON_ONCE(!devlink_fmsg_cursor_valid(fmsg, cursor)))
		return -EINVAL;

	nest = nla_nest_start_noflag(skb, DEVLINK_ATTR_FMSG);
	if (!nest)
		return -EMSGSIZE;

	for (; pos.chunk < fmsg->nr_chunks; pos.chunk++, pos.offset = 0) {
		chunk = &fmsg->chunks[pos.chunk];
		while (pos.offset < chunk->used) {
			item = (const void *)(chunk->data + pos.offset);
			mark = skb_tail_pointer(skb);
			err = devlink_fmsg_item_put(skb, item);
			/* the length of the nest is a u16 */
			if (!err && skb_tail_pointer(skb) - (u8 *)nest > U16_MAX)
				err = -EMSGSIZE;
			if (err) {
				nlmsg_trim(skb, mark);
				goto out;
			}
			pos.offset += devlink_fmsg_item_size(item->len);
		}
	}

out:
	if (err && pos.chunk == cursor->chunk && pos.offset == cursor->offset) {
		nla_nest_cancel(skb, nest);
		return err;
	}

	nla_nest_end(skb, nest);
	*cursor = pos;
	return err;
}
EXPORT_SYMBOL_IF_KUNIT(devlink_fmsg_fill);
