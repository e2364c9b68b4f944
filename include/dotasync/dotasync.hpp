// Everything dotasync offers, in one include.
#ifndef DOTASYNC_DOTASYNC_HPP
#define DOTASYNC_DOTASYNC_HPP

#include <dotasync/core/apm_token.hpp>
#include <dotasync/core/error_mapping.hpp>
#include <dotasync/core/exceptions.hpp>
#include <dotasync/core/iasync_result.hpp>
#include <dotasync/core/logging.hpp>
#include <dotasync/core/wait_handle.hpp>

#include <dotasync/threading/thread_pool.hpp>

#include <dotasync/apm/delegate.hpp>

#include <dotasync/io/file.hpp>
#include <dotasync/io/file_enums.hpp>
#include <dotasync/io/file_stream.hpp>
#include <dotasync/io/memory_stream.hpp>
#include <dotasync/io/stream.hpp>

#endif
