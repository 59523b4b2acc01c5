"""English words of the state catalogue (facts: neighctl/states.py)."""

from __future__ import annotations

from typing import Any

TEXT: dict[str, dict[str, Any]] = {
    "INCOMPLETE": {
        "summary": "resolving: solicitations sent, no answer yet; packets are queued",
        "meaning": (
            "The kernel has a packet for this neighbour but no link-layer address. It "
            "broadcasts ARP requests (IPv6: multicasts neighbour solicitations), one "
            "every retrans_time, and holds the packets meanwhile."
        ),
        "entry": (
            "A packet is sent to an address with no entry (NONE) or a FAILED one. "
            "Also `ip neigh add ... nud incomplete`."
        ),
        "transitions": {
            "reply": "a unicast reply to our solicitation arrives (the address is confirmed)",
            "heard": (
                "the neighbour's own request or a broadcast reply arrives: we learn the "
                "address without proof that it can hear us"
            ),
            "no_reply": (
                "no answer to mcast_solicit (+ app_solicit) solicitations, one per "
                "retrans_time; the queued packets are dropped and senders get "
                "'host unreachable'"
            ),
        },
        "traffic": (
            "No. Packets are queued (up to unres_qlen_bytes per entry) and sent when the "
            "address resolves."
        ),
        "gc": "No: an entry with a running timer is never collected.",
        "advice": [
            "A short INCOMPLETE is normal. One that keeps coming back means nobody on "
            "the link answers for this address: a host that is down, the wrong subnet "
            "or VLAN, or a firewall dropping ARP/ND.",
            "Check with `arping -I DEV ADDR` (IPv6: `ndisc6 ADDR DEV`) and tcpdump on "
            "the interface.",
            "An entry made with `ip neigh add ... nud incomplete` has no timer: it "
            "never sends a solicitation, never fails, is never collected, and holds "
            "every packet sent to it until it is deleted.",
        ],
    },
    "REACHABLE": {
        "summary": "confirmed recently: the neighbour proved it is there",
        "meaning": (
            "The address was confirmed less than reachable_time ago, by a unicast reply "
            "to a solicitation or by an upper layer (TCP making progress, MSG_CONFIRM). "
            "Packets go out at once."
        ),
        "entry": (
            "A solicited unicast reply (from INCOMPLETE, DELAY or PROBE), a confirmation "
            "during DELAY, or `ip neigh add/replace ... nud reachable`."
        ),
        "transitions": {
            "expired": (
                "reachable_time after the last confirmation, if the entry was not used "
                "in the last delay_first_probe_time. Packets sent over a cached header "
                "do not count as use, so under steady traffic it still turns STALE, "
                "and the next packet makes it DELAY at once"
            ),
            "expired_used": (
                "reachable_time after the last confirmation, if the kernel recorded a "
                "use within delay_first_probe_time. Becoming REACHABLE counts as a use, "
                "so this is the way out whenever reachable_time is shorter than "
                "delay_first_probe_time"
            ),
            "new_lladdr": (
                "the neighbour announces a different link-layer address (ARP: only once "
                "locktime has passed since the last update): the new address is taken, "
                "unconfirmed"
            ),
        },
        "traffic": "Yes.",
        "gc": "No: a timer is running.",
        "advice": [
            "Nothing to do. reachable_time is drawn again at random every 300 s and when "
            "base_reachable_time is written, so entries on one interface expire after "
            "different times on different days.",
        ],
    },
    "STALE": {
        "summary": "address known but unconfirmed: still used, checked on next use",
        "meaning": (
            "The link-layer address is known but has not been confirmed for a while "
            "(or was learnt from the neighbour's own request, without proof that it can "
            "hear us). STALE has no timer: nothing happens until a packet is sent."
        ),
        "entry": (
            "REACHABLE ran out of reachable_time; or the neighbour's ARP request / "
            "neighbour solicitation / unsolicited advertisement told us its address; "
            "or `ip neigh add ... nud stale`."
        ),
        "transitions": {
            "send": (
                "a packet is sent to it: it goes out at once to the cached address and "
                "the entry moves to DELAY"
            ),
            "reply": "a solicited unicast reply arrives (e.g. after `arping`)",
            "gc": (
                "periodic garbage collection, once unused for gc_stale_time and "
                "unreferenced, but only while the table holds at least gc_thresh1 "
                "entries; forced collection above gc_thresh2/gc_thresh3"
            ),
        },
        "traffic": "Yes, to the cached address; the first packet starts a re-check (DELAY).",
        "gc": (
            "Yes, when unused for gc_stale_time and unreferenced, but only while the "
            "table holds at least gc_thresh1 entries (counting every namespace)."
        ),
        "advice": [
            "STALE is healthy; it is not an error. Small tables keep STALE entries "
            "forever, because periodic GC does nothing below gc_thresh1 (128 by "
            "default) entries.",
            "If the neighbour changed its MAC without announcing it, the first packets "
            "go to the old MAC until PROBE finds out, a few seconds later. To drop the "
            "entry now: `neighctl del ADDR --dev DEV`.",
        ],
    },
    "DELAY": {
        "summary": "used while STALE: waiting briefly for an upper layer to confirm",
        "meaning": (
            "A packet was sent to a STALE entry. The kernel sends no probe yet: it waits "
            "delay_first_probe_time for a confirmation from an upper layer (TCP ACKs "
            "that advance, MSG_CONFIRM), which would spare the probe."
        ),
        "entry": (
            "A packet is sent to a STALE entry; rarely, REACHABLE expiring right after "
            "a recorded use."
        ),
        "transitions": {
            "confirmed": (
                "confirmed within delay_first_probe_time (e.g. by TCP): back to "
                "REACHABLE without sending a probe"
            ),
            "unconfirmed": (
                "no confirmation within delay_first_probe_time: the first unicast probe goes out"
            ),
        },
        "traffic": "Yes, to the cached address.",
        "gc": "No: a timer is running.",
        "advice": [
            "Normal after a quiet period. Unlike what many guides say, DELAY sends "
            "nothing; probes are sent in PROBE.",
        ],
    },
    "PROBE": {
        "summary": "re-checking: unicast probes sent to the cached address",
        "meaning": (
            "No confirmation came during DELAY. The kernel sends unicast solicitations "
            "to the cached address, one every retrans_time (then mcast_resolicit "
            "broadcast ones, 0 by default)."
        ),
        "entry": "DELAY ran out of delay_first_probe_time without a confirmation.",
        "transitions": {
            "reply": "a reply to a probe arrives",
            "no_reply": (
                "no reply to ucast_solicit + app_solicit + mcast_resolicit probes, one "
                "per retrans_time"
            ),
        },
        "traffic": "Yes, to the cached address, while probing.",
        "gc": "No: a timer is running.",
        "advice": [
            "Short PROBE phases are normal. Entries that keep failing from PROBE mean a "
            "neighbour that went away or changed its MAC; check the host, or the switch "
            "if it answers broadcasts but not unicast.",
        ],
    },
    "FAILED": {
        "summary": "resolution failed: nobody answered; packets are dropped",
        "meaning": (
            "Solicitations went unanswered. The entry has no address and no timer; it "
            "stays to remember the failure until it is used again or collected."
        ),
        "entry": "INCOMPLETE or PROBE ran out of probes, or `ip neigh add ... nud failed`.",
        "transitions": {
            "send": (
                "a packet is sent to it: resolution starts again (INCOMPLETE, "
                "mcast_solicit broadcasts)"
            ),
            "heard": (
                "the neighbour's own request arrives (a unicast reply would make it "
                "REACHABLE instead)"
            ),
            "gc": (
                "the next periodic GC pass (FAILED is collected whatever its age) while "
                "the table holds at least gc_thresh1 entries; forced GC frees it first"
            ),
        },
        "traffic": "No: packets trigger a new resolution and are dropped if it fails again.",
        "gc": (
            "Yes, at the next pass, but only while the table holds at least gc_thresh1 "
            "entries; below that, FAILED entries stay until used or deleted."
        ),
        "advice": [
            "Something keeps sending to an address that does not answer: a deleted pod "
            "or VM, a dead node, a stale Service endpoint, a scan. Find the sender "
            "(`tcpdump -ni DEV arp or icmp6`) rather than flushing.",
            "On busy Kubernetes nodes (Calico, flannel) thousands of FAILED entries are "
            "a symptom, not the overflow itself: forced GC frees them first once the "
            "table passes gc_thresh2. 'neighbor table overflow!' in dmesg (table_fulls "
            "in `ip -s ntable show`) means the entries GC cannot free (in use, or "
            "updated in the last 5 s) exceed gc_thresh3. Raise gc_thresh1/2/3 (host "
            "namespace only) if the node really has that many neighbours.",
        ],
    },
    "NOARP": {
        "summary": "no resolution needed: the kernel never probes it",
        "meaning": (
            "The address needs no ARP/ND: multicast and broadcast addresses, loopback, "
            "point-to-point and NOARP devices (tunnels such as tunl0, wireguard). The "
            "entry is valid without checks."
        ),
        "entry": ("Created by the kernel for such destinations, or `ip neigh add ... nud noarp`."),
        "transitions": {
            "admin": "an administrator replaces or deletes it (received packets never change it)",
            "gc": "garbage collection once unused for gc_stale_time (or forced GC)",
        },
        "traffic": "Yes.",
        "gc": (
            "Yes: unlike PERMANENT it is not protected (periodic GC after gc_stale_time "
            "unused; forced GC at once)."
        ),
        "advice": [
            "Hidden by `ip neigh show` (and `neighctl show`) unless you ask for "
            "`nud all` / `--state all`. Nothing to do.",
        ],
    },
    "PERMANENT": {
        "summary": "static: set by an administrator or an agent; never checked or aged",
        "meaning": (
            "A static entry. The kernel never probes it, never times it out, never "
            "collects it, and ignores ARP/ND packets that claim another address."
        ),
        "entry": (
            "`ip neigh add/replace` without `nud` (or `nud permanent`), `arp -s`, or an "
            "agent: Calico's felix for local workloads, flanneld for remote VTEPs."
        ),
        "transitions": {
            "admin": "an administrator or agent deletes or replaces it",
            "ifdown": (
                "its device goes down, is deleted or changes its MAC (a carrier loss keeps it)"
            ),
        },
        "traffic": "Yes, to the configured address, even if it is wrong.",
        "gc": "No, never.",
        "advice": [
            "A PERMANENT entry with a wrong MAC is a silent blackhole: the kernel will not "
            "correct it. After a VTEP (flannel.1, vxlan) was recreated on the remote node, "
            "the static entry here still holds the old VTEP MAC until the agent rewrites "
            "it: restart the agent or `ip neigh replace ADDR lladdr NEWMAC dev DEV`, "
            "and check `bridge fdb show dev DEV`.",
        ],
    },
    "NONE": {
        "summary": "created but never resolved: no state yet",
        "meaning": (
            "An entry that exists but has never been resolved: created by a lookup that "
            "did not send a packet, or by `ip neigh add ... nud none`. `ip neigh show` "
            "prints no state word for it."
        ),
        "entry": (
            "Kernel lookups that create without sending; `managed` entries before their "
            "first probe; `ip neigh add ... nud none`."
        ),
        "transitions": {
            "send": "a packet is sent to it: resolution starts (INCOMPLETE)",
            "heard": (
                "the neighbour's own request arrives (a unicast reply would make it "
                "REACHABLE instead)"
            ),
            "gc": "garbage collection once unused for gc_stale_time",
        },
        "traffic": "No: the first packet starts resolution.",
        "gc": "Yes, like STALE (unused for gc_stale_time, table at least gc_thresh1).",
        "advice": ["Hidden unless `--state all`. Short-lived and harmless."],
    },
}

PARAMS: dict[str, str] = {
    "base_reachable_time": "REACHABLE lasts a random 0.5-1.5 x this after each confirmation",
    "retrans_time": "interval between solicitations/probes",
    "delay_first_probe_time": "how long DELAY waits for an upper-layer confirmation",
    "gc_stale_time": "an unused entry may be collected after this",
    "ucast_solicit": "unicast probes in PROBE",
    "mcast_solicit": "broadcast/multicast solicitations in INCOMPLETE",
    "app_solicit": "requests passed to a user-space daemon (arpd) before broadcasting",
    "mcast_resolicit": "broadcast probes after the unicast ones in PROBE",
    "locktime": "ARP ignores a different address for this long after an update",
    "proxy_delay": "delay before answering a proxied ARP request",
    "anycast_delay": "max random delay before answering a solicitation for an anycast address",
    "proxy_qlen": "queue length for delayed proxy answers",
    "unres_qlen_bytes": "bytes queued per unresolved entry",
    "interval_probe_time_ms": "probe interval for `managed` entries",
    "gc_thresh1": "periodic GC does nothing while the table has fewer entries",
    "gc_thresh2": "soft limit: forced GC when above it (at most every 5 s)",
    "gc_thresh3": "hard limit: beyond it, new entries fail (table overflow)",
}

FLAGS: dict[str, str] = {
    "router": "the neighbour is an IPv6 router (it set the R bit in its advertisements)",
    "proxy": "a proxy entry: we answer ARP/ND for this address on DEV",
    "extern_learn": (
        "learnt and managed by something outside the kernel (EVPN, a switch driver, "
        "an agent such as Cilium); never collected"
    ),
    "managed": (
        "the kernel keeps it resolved on its own, probing every interval_probe_time_ms "
        "(Cilium uses this for node neighbours)"
    ),
    "offload": "the entry is programmed in hardware (a switch ASIC)",
}

# The overview diagram: at most 79 columns (tests/pure/test_states.py checks).
DIAGRAM = """\
NONE, FAILED --packet to send--> INCOMPLETE --solicited reply--> REACHABLE <--+
                                  |      |                         |          |
        no reply to mcast_solicit |      | neighbour's request     |          |
        x retrans_time            |      | or broadcast reply      |          |
                                  v      v                         |          |
                              FAILED   STALE <--reachable_time-----+          |
                                  ^      |     passed, unused                 |
                                  |      | packet to send                     |
                                  |      v                                    |
                                  |    DELAY --confirmed within               |
                                  |      |     delay_first_probe_time ------->+
                                  |      | not confirmed                      |
                                  |      v                                    |
                                  +--- PROBE --reply to a unicast probe ----->+
             no reply to ucast_solicit x retrans_time

PERMANENT, NOARP: no timers, no probes; only an administrator changes them.
GC deletes unreferenced FAILED, NOARP, NONE and long-unused STALE entries,
and only while the table holds at least gc_thresh1 entries.
"""
