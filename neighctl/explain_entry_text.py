"""Words for `explain ADDR` in English and Simplified Chinese (logic: explain_entry.py)."""

from __future__ import annotations

from neighctl.states_en import FLAGS as FLAGS_EN
from neighctl.states_zh import FLAGS as FLAGS_ZH

FLAG_TEXT: dict[str, dict[str, str]] = {"en": FLAGS_EN, "zh": FLAGS_ZH}

MSG: dict[str, dict[str, str]] = {
    "en": {
        "l_state": "State",
        "l_ages": "Ages",
        "l_next": "Next",
        "l_flags": "Flags",
        "l_pattern": "Pattern",
        "l_note": "Note",
        "no_ages": "not known (the source has no `-s` ages)",
        "ambiguous": (
            "one of {states}: the source (/proc/net/arp or net-tools `arp`) only records "
            "whether the entry was resolved, not which state it was in"
        ),
        "ambiguous_next": (
            "cannot be predicted from this source; `neighctl explain STATE` describes each "
            "of {states}, and `ip neigh` on the node tells which one it is"
        ),
        "ages": "used {used} s ago, confirmed {confirmed} s ago, updated {updated} s ago",
        "probes": "probes {n}",
        "ref": "ref {n}",
        "sep": "; ",
        "defaults_used": "timers are the kernel defaults, not this interface's own values",
        "gc_active": " The table holds {n} entries now (at least {t1}), so GC is active.",
        "gc_idle": " The table holds {n} entries now (fewer than {t1}), so GC leaves it alone.",
        "gc_extern": " extern_learn: garbage collection never removes it.",
        "reach_live": (
            "turns STALE in about {left} s unless confirmed again (reachable_time on "
            "{dev} is now {rt} s); the next packet after that makes it DELAY"
        ),
        "reach_delay": (
            "turns DELAY in about {left} s unless confirmed again (reachable_time on "
            "{dev} is now {rt} s; its last use, {used} s ago, will still be within "
            "delay_first_probe_time {d} s), then PROBE {d} s later unless confirmed"
        ),
        "reach_range": (
            "turns STALE within {a}–{b} s unless confirmed again (reachable_time is "
            "0.5–1.5 × base_reachable_time {base} s)"
        ),
        "reach_noage": "turns STALE {lo}–{hi} s after its last confirmation",
        "stale_send": (
            "stays STALE until the next packet to it, which goes out at once and makes "
            "it DELAY for {d} s (then REACHABLE if confirmed, else PROBE)"
        ),
        "stale_gc": (
            "or garbage collection: unused for {used} s of gc_stale_time {g} s, and "
            "periodic GC only runs while the table holds at least gc_thresh1 = {t1} "
            "entries.{gc_now}"
        ),
        "delay": (
            "in about {left} s: REACHABLE if an upper layer (TCP) confirms it by then, "
            "else PROBE (unicast probes every {r} s)"
        ),
        "probing": (
            "{sent} of {total} probes sent; FAILED in about {left} s unless the "
            "neighbour answers (REACHABLE as soon as it does)"
        ),
        "incomplete_stuck": (
            "nothing: no solicitation was ever sent (set by hand with `nud incomplete`); "
            "without a timer it never resolves, never fails, is never collected, and "
            "holds every packet sent to it until deleted"
        ),
        "failed_send": (
            "stays FAILED until a packet is sent to it: then INCOMPLETE again, about "
            "{inc} s of solicitations"
        ),
        "failed_gc": (
            "or deleted at the next GC pass, which only runs while the table holds at "
            "least gc_thresh1 = {t1} entries.{gc_now}"
        ),
        "permanent": (
            "nothing: the kernel never probes, ages or collects it; only `ip neigh "
            "del/replace` (or its device going down) removes it"
        ),
        "noarp": (
            "nothing: no probes, no timer; GC may delete it once unused for "
            "gc_stale_time {g} s (table at least {t1} entries).{gc_now}"
        ),
        "none": (
            "INCOMPLETE at the next packet sent to it; otherwise GC after gc_stale_time "
            "{g} s unused.{gc_now}"
        ),
        "proxy": (
            "nothing: a proxy entry has no state and no timers; the kernel answers "
            "ARP/ND requests for {dst} on {dev} (IPv4: only with forwarding on, for a "
            "target routed out of another device) "
            "until `ip neigh del proxy {dst} dev {dev}`"
        ),
        "managed": (
            "managed: the kernel re-resolves it by itself every {i} s "
            "(interval_probe_time_ms), without traffic"
        ),
    },
    "zh": {
        "l_state": "状态",
        "l_ages": "时间",
        "l_next": "接下来",
        "l_flags": "标志",
        "l_pattern": "判断",
        "l_note": "说明",
        "no_ages": "未知（数据源没有 `-s` 的时间信息）",
        "ambiguous": "{states} 之一：该数据源（/proc/net/arp 或 net-tools 的 `arp`）只记录条目是否已解析，不记录具体状态",
        "ambiguous_next": "无法根据该数据源推断；`neighctl explain 状态` 可分别查看 {states} 的说明，在节点上执行 `ip neigh` 才能知道具体是哪一个",
        "ages": "{used} 秒前使用，{confirmed} 秒前确认，{updated} 秒前更新",
        "probes": "已探测 {n} 次",
        "ref": "引用 {n}",
        "sep": "；",
        "defaults_used": "定时器按内核默认值计算，而不是该网卡的实际取值",
        "gc_active": "当前表中有 {n} 条（不少于 {t1}），回收处于活动状态。",
        "gc_idle": "当前表中有 {n} 条（少于 {t1}），回收不会动它。",
        "gc_extern": "extern_learn：垃圾回收从不删除它。",
        "reach_live": (
            "约 {left} 秒后变为 STALE，除非再次得到确认（{dev} 上当前 reachable_time "
            "为 {rt} 秒）；之后的下一个报文会使它进入 DELAY"
        ),
        "reach_delay": (
            "约 {left} 秒后变为 DELAY，除非再次得到确认（{dev} 上当前 reachable_time 为 {rt} 秒；"
            "{used} 秒前的最近一次使用届时仍在 delay_first_probe_time {d} 秒之内），"
            "再过 {d} 秒若仍未确认则进入 PROBE"
        ),
        "reach_range": (
            "{a}～{b} 秒内变为 STALE，除非再次得到确认（reachable_time 为 "
            "base_reachable_time {base} 秒的 0.5～1.5 倍）"
        ),
        "reach_noage": "上次确认后 {lo}～{hi} 秒变为 STALE",
        "stale_send": (
            "保持 STALE，直到有报文发往它：报文立即发出，表项进入 DELAY {d} 秒"
            "（得到确认则回到 REACHABLE，否则进入 PROBE）"
        ),
        "stale_gc": (
            "或被垃圾回收：已 {used} 秒未使用（gc_stale_time 为 {g} 秒），"
            "且周期性回收只在表中不少于 gc_thresh1 = {t1} 条时进行。{gc_now}"
        ),
        "delay": "约 {left} 秒后：若上层（TCP）已确认则回到 REACHABLE，否则进入 PROBE（每 {r} 秒一次单播探测）",
        "probing": "已发 {sent}/{total} 次探测；约 {left} 秒后若仍无应答则变为 FAILED（一有应答即变为 REACHABLE）",
        "incomplete_stuck": (
            "什么也不会发生：从未发出过请求（是用 `nud incomplete` 手工设置的）；"
            "没有定时器，它永远不会解析、不会失败、不会被回收，发往它的报文都会被扣住，直到删除"
        ),
        "failed_send": "保持 FAILED，直到有报文发往它：重新进入 INCOMPLETE，约 {inc} 秒的请求",
        "failed_gc": "或在下一轮回收时被删除，前提是表中不少于 gc_thresh1 = {t1} 条。{gc_now}",
        "permanent": "什么也不会发生：内核从不探测、老化或回收它；只有 `ip neigh del/replace`（或网卡 down）才会删除它",
        "noarp": "什么也不会发生：不探测、无定时器；未使用超过 gc_stale_time {g} 秒后可能被回收（表中不少于 {t1} 条时）。{gc_now}",
        "none": "下一个发往它的报文会使它进入 INCOMPLETE；否则未使用超过 gc_stale_time {g} 秒后被回收。{gc_now}",
        "proxy": (
            "什么也不会发生：代理表项没有状态也没有定时器；内核在 {dev} 上替 {dst} 应答 ARP/ND 请求"
            "（IPv4 需开启转发，且目标经另一块网卡路由），直到 `ip neigh del proxy {dst} dev {dev}`"
        ),
        "managed": "managed：内核每隔 {i} 秒（interval_probe_time_ms）自行重新解析它，不需要流量",
    },
}

PATTERNS: dict[str, dict[str, str]] = {
    "en": {
        "calico_gateway": (
            "Calico pod gateway: pods route via 169.254.1.1, which no host owns; the host "
            "side of the pod's veth (MAC ee:ee:ee:ee:ee:ee, proxy_arp=1) answers by proxy "
            "ARP. A normal dynamic entry: REACHABLE and STALE are both fine."
        ),
        "calico_gateway_other_mac": (
            "169.254.1.1 is Calico's pod gateway, answered by proxy ARP from the host "
            "side of the pod's veth; current Calico gives that veth MAC "
            "ee:ee:ee:ee:ee:ee, so this MAC is from an older Calico or another CNI."
        ),
        "calico_mac": (
            "ee:ee:ee:ee:ee:ee is the MAC Calico gives the host side of every pod veth: "
            "this address is answered by a Calico host, by proxy ARP."
        ),
        "calico_workload": (
            "Calico workload: felix writes a PERMANENT entry for each local pod on its "
            "cali* veth (the pod's IP and eth0 MAC); it goes away with the veth."
        ),
        "flannel_vtep": (
            "flannel (vxlan) remote VTEP: flanneld writes one PERMANENT entry per remote "
            "node, its VTEP address (the .0 of that node's pod subnet) to the MAC of its "
            "flannel.1. If that node recreated flannel.1, the MAC here is stale: compare "
            "with `ip -d link show flannel.1` there and `bridge fdb show dev flannel.1` here."
        ),
        "failed": "resolution failed: nothing answered for this address on {dev}.",
        "failed_many": (
            "{n} FAILED entries on {dev}: something keeps sending to addresses that do not "
            "answer (deleted pods, a dead node, a scan); find it with `tcpdump -ni {dev} "
            "arp or icmp6`."
        ),
        "shared_mac": (
            "{n} other addresses on {dev} have this MAC: one device answers for all of "
            "them (a router doing proxy ARP, a cloud VPC gateway, a load balancer)."
        ),
    },
    "zh": {
        "calico_gateway": (
            "Calico 的 Pod 网关：Pod 的默认路由指向 169.254.1.1，这个地址不属于任何主机；"
            "由 Pod veth 的宿主机一端（MAC 为 ee:ee:ee:ee:ee:ee，proxy_arp=1）通过代理 ARP 应答。"
            "这是普通的动态表项，REACHABLE 和 STALE 都正常。"
        ),
        "calico_gateway_other_mac": (
            "169.254.1.1 是 Calico 的 Pod 网关，由 Pod veth 的宿主机一端代理应答；"
            "新版 Calico 把该端 MAC 设为 ee:ee:ee:ee:ee:ee，这个 MAC 来自旧版 Calico 或其他 CNI。"
        ),
        "calico_mac": "ee:ee:ee:ee:ee:ee 是 Calico 给每个 Pod veth 宿主机一端设置的 MAC：该地址由某台 Calico 主机代理应答。",
        "calico_workload": (
            "Calico 工作负载：felix 为本机每个 Pod 在其 cali* veth 上写入一条 PERMANENT 表项"
            "（Pod 的 IP 和 eth0 的 MAC），veth 删除时随之消失。"
        ),
        "flannel_vtep": (
            "flannel（vxlan）远端 VTEP：flanneld 为每个远端节点写一条 PERMANENT 表项，"
            "把该节点的 VTEP 地址（其 Pod 子网的 .0）映射到其 flannel.1 的 MAC。"
            "若该节点重建过 flannel.1，这里的 MAC 就过期了：在对端用 `ip -d link show flannel.1`、"
            "在本机用 `bridge fdb show dev flannel.1` 对比。"
        ),
        "failed": "解析失败：{dev} 上没有人应答这个地址。",
        "failed_many": (
            "{dev} 上有 {n} 条 FAILED：有程序在不停地向不应答的地址发包（已删除的 Pod、"
            "宕掉的节点、扫描）；用 `tcpdump -ni {dev} arp or icmp6` 找出来源。"
        ),
        "shared_mac": (
            "{dev} 上另有 {n} 个地址使用同一个 MAC：由一台设备替它们全部应答"
            "（做代理 ARP 的路由器、云上 VPC 网关、负载均衡器）。"
        ),
    },
}
