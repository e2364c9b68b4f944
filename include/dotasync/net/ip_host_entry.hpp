// IPHostEntry: what Dns::GetHostEntry returns, a host's name, its addresses
// and its aliases, as .NET's.
//
// Thread-safety: a value.
#ifndef DOTASYNC_NET_IP_HOST_ENTRY_HPP
#define DOTASYNC_NET_IP_HOST_ENTRY_HPP

#include <dotasync/net/ip_address.hpp>

#include <string>
#include <vector>

namespace dotasync {

class IPHostEntry {
public:
    const std::string& HostName() const noexcept { return host_name_; }
    void HostName(std::string value) { host_name_ = std::move(value); }
    const std::vector<IPAddress>& AddressList() const noexcept { return address_list_; }
    void AddressList(std::vector<IPAddress> value) { address_list_ = std::move(value); }
    const std::vector<std::string>& Aliases() const noexcept { return aliases_; }
    void Aliases(std::vector<std::string> value) { aliases_ = std::move(value); }

private:
    std::string host_name_;
    std::vector<IPAddress> address_list_;
    std::vector<std::string> aliases_;
};

} // namespace dotasync

#endif
