import ipaddr from 'ipaddr.js';

/**
 * The key a client address is counted under. IPv4 (also IPv4-mapped IPv6)
 * counts per address; IPv6 per /64, the block one subscriber gets, so a
 * client cannot reset its counters by hopping addresses inside its own network.
 */
export function addressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip.slice(0, 100);
  const parsed = ipaddr.process(ip);
  if (parsed.kind() === 'ipv4') return parsed.toString();
  const hextets = (parsed as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4);
  return `${hextets.join(':')}::/64`;
}
