// SPDX-License-Identifier: MIT
// Internal to the cli layer: the Case Status API's daily budget, counted in the store
// (table `fetches`, service "uscis-api", by UTC day), so that it outlives each run.
#pragma once

#include "casewatch/net/uscis_api.hpp"
#include "casewatch/store/store.hpp"

namespace casewatch::cli {

// Each spend() commits at once in a transaction of its own: a run that fails later still
// spent its requests. So fetch the statuses first, outside the transaction that imports
// them (which also keeps that transaction short, and the database unchanged on failure).
class StoreBudget : public net::RequestBudget {
 public:
  explicit StoreBudget(store::Store& store) : m_store(store) {}
  [[nodiscard]] int used(Date utc_day) override { return m_store.requests_on(k_service, utc_day); }
  void spend(Date utc_day, int n) override {
    auto tx = m_store.begin_write();
    m_store.count_requests(k_service, utc_day, n);
    tx.commit();
  }
  static constexpr const char* k_service = "uscis-api";

 private:
  store::Store& m_store;
};

}  // namespace casewatch::cli
