// Everything dotasync offers, in one include.
#ifndef DOTASYNC_DOTASYNC_HPP
#define DOTASYNC_DOTASYNC_HPP

#include <dotasync/core/apm_method.hpp>
#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/cancellation.hpp>
#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/event.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/export.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/core/logging.hpp>
#include <dotasync/core/state_cast.hpp>
#include <dotasync/core/wait_handle.hpp>

#include <dotasync/threading/message_loop_synchronization_context.hpp>
#include <dotasync/threading/strand_synchronization_context.hpp>
#include <dotasync/threading/synchronization_context.hpp>
#include <dotasync/threading/thread_pool.hpp>

#include <dotasync/apm/delegate.hpp>

#include <dotasync/eap/async_completed_event_args.hpp>
#include <dotasync/eap/async_operation.hpp>
#include <dotasync/eap/background_worker.hpp>
#include <dotasync/eap/eap.hpp>
#include <dotasync/eap/event_args.hpp>
#include <dotasync/eap/progress_changed_event_args.hpp>

#include <dotasync/tap/progress.hpp>
#include <dotasync/tap/task.hpp>
#include <dotasync/tap/task_completion_source.hpp>
#include <dotasync/tap/task_factory.hpp>
#include <dotasync/tap/task_of.hpp>
#include <dotasync/tap/task_status.hpp>
#include <dotasync/tap/task_to_async_result.hpp>
#include <dotasync/tap/use_task.hpp>

#include <dotasync/io/directory.hpp>
#include <dotasync/io/file.hpp>
#include <dotasync/io/file_enums.hpp>
#include <dotasync/io/file_stream.hpp>
#include <dotasync/io/io_completion.hpp>
#include <dotasync/io/memory_stream.hpp>
#include <dotasync/io/stream.hpp>

#include <dotasync/net/dns.hpp>
#include <dotasync/net/end_point.hpp>
#include <dotasync/net/ip_address.hpp>
#include <dotasync/net/ip_end_point.hpp>
#include <dotasync/net/ip_host_entry.hpp>
#include <dotasync/net/linger_option.hpp>
#include <dotasync/net/network_stream.hpp>
#include <dotasync/net/socket.hpp>
#include <dotasync/net/socket_async_event_args.hpp>
#include <dotasync/net/socket_enums.hpp>
#include <dotasync/net/socket_error.hpp>
#include <dotasync/net/tcp_client.hpp>
#include <dotasync/net/tcp_listener.hpp>
#include <dotasync/net/udp_client.hpp>

#include <dotasync/http/http_client.hpp>
#include <dotasync/http/http_content.hpp>
#include <dotasync/http/http_headers.hpp>
#include <dotasync/http/http_method.hpp>
#include <dotasync/http/http_request_exception.hpp>
#include <dotasync/http/http_request_message.hpp>
#include <dotasync/http/http_response_message.hpp>
#include <dotasync/http/http_status_code.hpp>
#include <dotasync/http/http_web_request.hpp>
#include <dotasync/http/http_web_response.hpp>
#include <dotasync/http/service_point_manager.hpp>
#include <dotasync/http/ssl_stream.hpp>
#include <dotasync/http/uri.hpp>
#include <dotasync/http/web_client.hpp>
#include <dotasync/http/web_client_event_args.hpp>
#include <dotasync/http/web_exception.hpp>
#include <dotasync/http/web_request.hpp>
#include <dotasync/http/x509_certificate2.hpp>

#endif
