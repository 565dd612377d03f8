#pragma once

#include <cstddef>
#include <vector>

namespace ccsim::engine {

// Growable ring buffer: a FIFO whose storage is reused, so steady-state pushes and pops never allocate.
template <class T>
class Fifo {
 public:
  void clear() { head_ = size_ = 0; }
  [[nodiscard]] bool empty() const { return size_ == 0; }
  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] const T& front() const { return buf_[head_]; }
  // The i-th entry from the front (0 = front).
  [[nodiscard]] const T& at(std::size_t i) const {
    std::size_t j = head_ + i;
    return buf_[j >= buf_.size() ? j - buf_.size() : j];
  }

  void push(const T& v) {
    if (size_ == buf_.size()) grow();
    std::size_t tail = head_ + size_;
    if (tail >= buf_.size()) tail -= buf_.size();
    buf_[tail] = v;
    ++size_;
  }
  void pop() {
    if (++head_ == buf_.size()) head_ = 0;
    --size_;
  }

 private:
  void grow() {
    std::vector<T> bigger(buf_.empty() ? 16 : buf_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = buf_[(head_ + i) % buf_.size()];
    buf_.swap(bigger);
    head_ = 0;
  }
  std::vector<T> buf_;
  std::size_t head_ = 0, size_ = 0;
};

}  // namespace ccsim::engine
