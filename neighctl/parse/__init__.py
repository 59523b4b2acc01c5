"""Sources of neighbour entries from text: ip neigh, ip -j, /proc/net/arp, arp -an."""
