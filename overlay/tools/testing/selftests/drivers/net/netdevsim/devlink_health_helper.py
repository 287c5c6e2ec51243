# SPDX-License-Identifier: GPL-2.0
# Generic netlink client for devlink health, the part of the test that
# needs to act between two messages of a dump, decode raw fmsg or list
# reporters in a tight loop. Attribute and command numbers come from the
# devlink YNL spec of the kernel tree. Prints one JSON object.

import argparse
import json
import os
import re
import socket
import struct
import subprocess
import sys
import time

NLMSG_ERROR = 2
NLMSG_DONE = 3
NLM_F_REQUEST = 0x1
NLM_F_ACK = 0x4
NLM_F_DUMP = 0x300
NLM_F_ACK_TLVS = 0x200
SOL_NETLINK = 270
NETLINK_CAP_ACK = 10
NETLINK_EXT_ACK = 11
GENL_ID_CTRL = 0x10
NETLINK_GENERIC = 16
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLMSGERR_ATTR_MSG = 1
NLMSGERR_ATTR_MISS_TYPE = 5
# Value types of fmsg items, from enum netlink_attribute_type.
NLA_U8 = 1
NLA_U16 = 2
NLA_U32 = 3
NLA_U64 = 4
NLA_FLAG = 6
NLA_NUL_STRING = 10
NLA_BINARY = 11


class NlErr(Exception):
    def __init__(self, err, extack, miss_type):
        super().__init__(os.strerror(err))
        self.err = err
        self.extack = extack
        self.miss_type = miss_type

    def as_dict(self):
        return {'ok': False, 'errno': self.err,
                'strerror': os.strerror(self.err),
                'extack': self.extack, 'miss_type': self.miss_type}


def load_spec(ksrc, cache=None):
    """Attribute and command numbers, from the kernel tree's YNL spec.

    Parsing the spec is slow under emulation: keep the numbers in @cache.
    """
    if cache and os.path.exists(cache):
        with open(cache) as f:
            nums = json.load(f)
        return nums['attrs'], nums['cmds']
    sys.path.insert(0, os.path.join(ksrc, 'tools', 'net', 'ynl'))
    from lib import SpecFamily
    spec = os.path.join(ksrc, 'Documentation', 'netlink', 'specs',
                        'devlink.yaml')
    fam = SpecFamily(spec, '')
    attrs = {n: a.value for n, a in fam.attr_sets['devlink'].attrs.items()}
    # The spec leaves out the dynamically typed value attribute; in the
    # uapi it follows the value type.
    attrs['fmsg-obj-value-data'] = attrs['fmsg-obj-value-type'] + 1
    cmds = {n: op.req_value for n, op in fam.ops.items()}
    if cache:
        with open(cache + '.tmp', 'w') as f:
            json.dump({'attrs': attrs, 'cmds': cmds}, f)
        os.rename(cache + '.tmp', cache)
    return attrs, cmds


def nla(atype, payload):
    hdr = struct.pack('HH', 4 + len(payload), atype)
    return hdr + payload + b'\0' * ((4 - len(payload) % 4) % 4)


def nla_str(atype, val):
    return nla(atype, val.encode() + b'\0')


def nla_u32(atype, val):
    return nla(atype, struct.pack('I', val))


def parse_attrs(buf):
    off = 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from('HH', buf, off)
        if alen < 4:
            raise ValueError('attribute of length %d' % alen)
        yield atype & 0x3fff, buf[off + 4:off + alen]
        off += (alen + 3) & ~3


def parse_msgs(data, sizes=None):
    off = 0
    while off + 16 <= len(data):
        mlen, mtype, flags, seq, _ = struct.unpack_from('IHHII', data, off)
        if mlen < 16:
            raise ValueError('netlink message of length %d' % mlen)
        if sizes is not None:
            sizes.append(mlen)
        yield mtype, flags, seq, data[off + 16:off + mlen]
        off += (mlen + 3) & ~3


def parse_err(mtype, flags, payload):
    """(errno, extack, miss_type) of an NLMSG_ERROR or NLMSG_DONE."""
    if len(payload) < 4:
        return 0, None, None
    err = -struct.unpack_from('i', payload, 0)[0]
    extack = None
    miss = None
    if flags & NLM_F_ACK_TLVS:
        # With NETLINK_CAP_ACK an error echoes only the request header.
        off = 4 + 16 if mtype == NLMSG_ERROR else 4
        for atype, val in parse_attrs(payload[off:]):
            if atype == NLMSGERR_ATTR_MSG:
                extack = val.rstrip(b'\0').decode(errors='replace')
            elif atype == NLMSGERR_ATTR_MISS_TYPE:
                miss = struct.unpack_from('I', val)[0]
    return err, extack, miss


class Genl:
    def __init__(self, family, timeout, recv_size):
        # The kernel sizes dump messages after the largest receive buffer
        # seen on the socket: keep to one size so that none is truncated.
        self.recv_size = recv_size
        # length of every netlink message received, headers included
        self.sizes = []
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_CAP_ACK, 1)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.sock.settimeout(timeout)
        self.seq = int(time.time()) & 0xffff
        self.family = GENL_ID_CTRL
        reply = self.do(CTRL_CMD_GETFAMILY,
                        [nla_str(CTRL_ATTR_FAMILY_NAME, family)])
        for atype, val in parse_attrs(reply[0]):
            if atype == CTRL_ATTR_FAMILY_ID:
                self.family = struct.unpack_from('H', val)[0]

    def send(self, cmd, attrs, flags):
        self.seq += 1
        payload = struct.pack('BBH', cmd, 1, 0) + b''.join(attrs)
        hdr = struct.pack('IHHII', 16 + len(payload), self.family,
                          NLM_F_REQUEST | NLM_F_ACK | flags, self.seq, 0)
        self.sock.send(hdr + payload)
        return self.seq

    def recv(self):
        """One receive: genl payloads (attributes only), and end seen."""
        data, _, flags, _ = self.sock.recvmsg(self.recv_size)
        if flags & socket.MSG_TRUNC:
            raise ValueError('message truncated to %d bytes' % len(data))
        out = []
        done = False
        for mtype, flags, seq, payload in parse_msgs(data, self.sizes):
            if seq != self.seq:
                continue
            if mtype in (NLMSG_ERROR, NLMSG_DONE):
                err, extack, miss = parse_err(mtype, flags, payload)
                if err:
                    raise NlErr(err, extack, miss)
                done = True
                continue
            out.append(payload[4:])
        return out, done

    def do(self, cmd, attrs):
        self.send(cmd, attrs, 0)
        replies = []
        done = False
        while not done:
            msgs, done = self.recv()
            replies += msgs
        return replies


def fmsg_items(attrs, genl_payload):
    items = []
    for atype, val in parse_attrs(genl_payload):
        if atype != attrs['fmsg']:
            continue
        for itype, ival in parse_attrs(val):
            items.append((itype, ival))
    return items


class Malformed(Exception):
    pass


def decode_value(vtype, val):
    if vtype == NLA_FLAG:
        return bool(val[0])
    if vtype == NLA_U8:
        return val[0]
    if vtype == NLA_U16:
        return struct.unpack_from('H', val)[0]
    if vtype == NLA_U32:
        return struct.unpack_from('I', val)[0]
    if vtype == NLA_U64:
        return struct.unpack_from('Q', val)[0]
    if vtype == NLA_NUL_STRING:
        return val.rstrip(b'\0').decode(errors='replace')
    if vtype == NLA_BINARY:
        return {'binary': val.hex()}
    raise Malformed('unknown value type %d' % vtype)


def fmsg_tree(attrs, items):
    """Rebuild the object tree of an fmsg; Malformed if it is not one."""
    obj_start = attrs['fmsg-obj-nest-start']
    pair_start = attrs['fmsg-pair-nest-start']
    arr_start = attrs['fmsg-arr-nest-start']
    nest_end = attrs['fmsg-nest-end']
    obj_name = attrs['fmsg-obj-name']
    val_type = attrs['fmsg-obj-value-type']
    val_data = attrs['fmsg-obj-value-data']
    # Stack entries: [kind, container or pair state]
    stack = []
    root = None
    vtype = None

    def put(value):
        nonlocal root
        if not stack:
            if root is not None:
                raise Malformed('second root')
            root = value
            return
        kind, cont = stack[-1]
        if kind == 'arr':
            cont.append(value)
        elif kind == 'pair':
            if cont['name'] is None:
                raise Malformed('value before the pair name')
            cont['values'].append(value)
        else:
            raise Malformed('bare value inside an object')

    for itype, val in items:
        if itype == obj_start:
            stack.append(['obj', {}])
        elif itype == arr_start:
            stack.append(['arr', []])
        elif itype == pair_start:
            if not stack or stack[-1][0] != 'obj':
                raise Malformed('pair outside an object')
            stack.append(['pair', {'name': None, 'values': []}])
        elif itype == obj_name:
            if not stack or stack[-1][0] != 'pair':
                raise Malformed('name outside a pair')
            if stack[-1][1]['name'] is not None:
                raise Malformed('second name in a pair')
            stack[-1][1]['name'] = val.rstrip(b'\0').decode(errors='replace')
        elif itype == val_type:
            vtype = val[0]
        elif itype == val_data:
            if vtype is None:
                raise Malformed('value without type')
            put(decode_value(vtype, val))
        elif itype == nest_end:
            if not stack:
                raise Malformed('unbalanced nest end')
            kind, cont = stack.pop()
            if kind == 'pair':
                if cont['name'] is None or len(cont['values']) != 1:
                    raise Malformed('pair %r with %d values' %
                                    (cont['name'], len(cont['values'])))
                parent = stack[-1][1]
                if cont['name'] in parent:
                    raise Malformed('duplicate name %r' % cont['name'])
                parent[cont['name']] = cont['values'][0]
            else:
                put(cont)
        else:
            raise Malformed('unknown item type %d' % itype)
    if stack:
        raise Malformed('%d nests left open' % len(stack))
    if root is None:
        raise Malformed('empty message')
    return root


def check_elems(tree):
    """Problems with the dump_seq/elems tagging (empty list: consistent)."""
    if not isinstance(tree, dict) or 'dump_seq' not in tree:
        return ['no dump_seq']
    seq = tree['dump_seq']
    elems = tree.get('elems', [])
    for i, elem in enumerate(elems):
        want = (seq + i) & 0xffffffff
        if elem != {'elem': want}:
            return ['element %d is %r, expected elem %d' % (i, elem, want)]
    return []


def id_attrs(attrs, args):
    out = [nla_str(attrs['bus-name'], args.bus),
           nla_str(attrs['dev-name'], args.dev)]
    if args.port is not None:
        out.append(nla_u32(attrs['port-index'], args.port))
    if args.reporter is not None:
        out.append(nla_str(attrs['health-reporter-name'], args.reporter))
    return out


def read_dump(g, attrs, cmds, args, hook=None):
    """Read a whole fmsg dump; hook(n) runs after n messages were read."""
    g.send(cmds['health-reporter-dump-get'], id_attrs(attrs, args),
           NLM_F_DUMP)
    items = []
    count = 0
    done = False
    while not done:
        msgs, done = g.recv()
        for payload in msgs:
            items += fmsg_items(attrs, payload)
            count += 1
        if hook and msgs:
            hook(count)
    return items, count


def cmd_dump(g, attrs, cmds, args):
    try:
        items, count = read_dump(g, attrs, cmds, args)
    except NlErr as e:
        return e.as_dict()
    try:
        tree = fmsg_tree(attrs, items)
    except Malformed as e:
        return {'ok': False, 'malformed': str(e), 'messages': count}
    return {'ok': True, 'messages': count, 'fmsg': tree}


def cmd_diagnose(g, attrs, cmds, args):
    g.send(cmds['health-reporter-diagnose'], id_attrs(attrs, args), 0)
    del g.sizes[:]
    items = []
    count = 0
    done = False
    try:
        while not done:
            msgs, done = g.recv()
            for payload in msgs:
                items += fmsg_items(attrs, payload)
                count += 1
    except NlErr as e:
        return e.as_dict()
    try:
        tree = fmsg_tree(attrs, items)
    except Malformed as e:
        return {'ok': False, 'malformed': str(e), 'messages': count}
    return {'ok': True, 'messages': count, 'max_msg': max(g.sizes),
            'fmsg': tree}


def cmd_trample(g, attrs, cmds, args):
    """Run an action between two messages of a dump, judge the outcome."""
    res = {'action_after': args.after, 'action_rc': None}

    def hook(count):
        if res['action_rc'] is None and count >= args.after:
            res['action_rc'] = subprocess.run(args.action, shell=True,
                                              timeout=args.timeout).returncode

    try:
        items, count = read_dump(g, attrs, cmds, args, hook)
    except NlErr as e:
        res.update(e.as_dict())
        res['verdict'] = 'error'
        return res
    res['messages'] = count
    if res['action_rc'] is None:
        res['verdict'] = 'too-short'
        return res
    try:
        tree = fmsg_tree(attrs, items)
    except Malformed as e:
        res['verdict'] = 'garbage'
        res['detail'] = str(e)
        return res
    problems = check_elems(tree)
    res['verdict'] = 'garbage' if problems else 'consistent'
    res['detail'] = '; '.join(problems)
    res['dump_seq'] = tree.get('dump_seq')
    res['elems'] = len(tree.get('elems', []))
    return res


def reporter_key(attrs, payload):
    bus = dev = name = None
    port = None
    for atype, val in parse_attrs(payload):
        if atype == attrs['bus-name']:
            bus = val.rstrip(b'\0').decode()
        elif atype == attrs['dev-name']:
            dev = val.rstrip(b'\0').decode()
        elif atype == attrs['port-index']:
            port = struct.unpack_from('I', val)[0]
        elif atype == attrs['health-reporter']:
            for ntype, nval in parse_attrs(val):
                if ntype == attrs['health-reporter-name']:
                    name = nval.rstrip(b'\0').decode()
    return bus, dev, port, name


def cmd_list_loop(g, attrs, cmds, args):
    """List reporters in a loop: no error, no duplicate, no stable one lost."""
    stable = set()
    for item in args.stable.split(','):
        name, _, port = item.partition('@')
        stable.add((args.bus, args.dev, int(port) if port else None, name))
    filt = [nla_str(attrs['bus-name'], args.bus),
            nla_str(attrs['dev-name'], args.dev)]
    res = {'listings': 0, 'max_messages': 0, 'errors': [],
           'duplicates': [], 'missing': []}
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        seen = {}
        count = 0
        g.send(cmds['health-reporter-get'], filt, NLM_F_DUMP)
        try:
            done = False
            while not done:
                msgs, done = g.recv()
                count += len(msgs)
                for payload in msgs:
                    key = reporter_key(attrs, payload)
                    seen[key] = seen.get(key, 0) + 1
        except NlErr as e:
            if len(res['errors']) < 10:
                res['errors'].append(e.as_dict())
            continue
        res['listings'] += 1
        res['max_messages'] = max(res['max_messages'], count)
        dups = [list(k) for k, n in seen.items() if n > 1]
        if dups and len(res['duplicates']) < 10:
            res['duplicates'].append(dups)
        lost = [list(k) for k in stable if k not in seen]
        if lost and len(res['missing']) < 10:
            res['missing'].append(lost)
    res['ok'] = (res['listings'] > 0 and not res['errors'] and
                 not res['duplicates'] and not res['missing'])
    return res


def cmd_parse_mon(args):
    """Events of `devlink mon health` text output, one JSON object each."""
    with open(args.file, errors='replace') as f:
        text = f.read()
    events = []
    handle = None
    # iproute2 6.1 groups consecutive events of one handle: the second one
    # starts indented, without the handle. Split on every event tag and
    # inherit the handle of the previous event when it is left out.
    for rec in re.split(r'(?=\[health,)', text):
        flat = ' '.join(rec.split())
        m = re.match(r'\[health,(\S+)\] (?:(\S+?):? )?reporter (\S+)',
                     flat)
        if not m:
            continue
        handle = m.group(2) or handle
        ev = {'cmd': m.group(1), 'handle': handle,
              'reporter': m.group(3)}
        for key, pat in (('state', r'\S+'), ('error', r'\d+'),
                         ('recover', r'\d+')):
            km = re.search(r'\b%s (%s)' % (key, pat), flat[m.end():])
            ev[key] = km.group(1) if km else None
        events.append(ev)
    return events


def main():
    p = argparse.ArgumentParser()
    p.add_argument('cmd', choices=['dump', 'diagnose', 'trample',
                                   'list-loop', 'parse-mon'])
    p.add_argument('--ksrc')
    p.add_argument('--spec-cache')
    p.add_argument('--bus', default='netdevsim')
    p.add_argument('--dev')
    p.add_argument('--port', type=int)
    p.add_argument('--reporter')
    p.add_argument('--recv-size', type=int, default=8192)
    p.add_argument('--timeout', type=float, default=20)
    p.add_argument('--after', type=int, default=3)
    p.add_argument('--action')
    p.add_argument('--seconds', type=float, default=5)
    p.add_argument('--stable', default='')
    p.add_argument('--file')
    args = p.parse_args()

    if args.cmd == 'parse-mon':
        for ev in cmd_parse_mon(args):
            print(json.dumps(ev))
        return 0

    attrs, cmds = load_spec(args.ksrc, args.spec_cache)
    handler = {'dump': cmd_dump, 'diagnose': cmd_diagnose,
               'trample': cmd_trample, 'list-loop': cmd_list_loop}
    try:
        g = Genl('devlink', args.timeout, args.recv_size)
        res = handler[args.cmd](g, attrs, cmds, args)
    except (socket.timeout, TimeoutError, subprocess.TimeoutExpired) as e:
        res = {'ok': False, 'timeout': str(e) or 'timed out'}
    except ValueError as e:
        res = {'ok': False, 'malformed': str(e)}
    except NlErr as e:
        res = e.as_dict()
        res['during'] = 'devlink family lookup'
    except OSError as e:
        res = {'ok': False, 'oserror': str(e)}
    print(json.dumps(res))
    return 0


if __name__ == '__main__':
    sys.exit(main())
