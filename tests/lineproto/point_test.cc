// Tests for nodes/symbols.h and nodes/point.h: interning, the point model, canonical text.
#include "nodes/point.h"

#include <cmath>
#include <limits>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nodes/symbols.h"

namespace tick::nodes {
namespace {

using interp::Value;
using ::testing::ElementsAre;

TEST(SymbolTableTest, InternIsStableAndNamesRoundTrip) {
  SymbolTable table;
  EXPECT_EQ(table.Intern(""), kEmptySymbol);
  const SymbolId a = table.Intern("usage_idle");
  const SymbolId b = table.Intern("host");
  EXPECT_NE(a, b);
  EXPECT_EQ(table.Intern(std::string("usage_") + "idle"), a);
  EXPECT_EQ(table.Name(a), "usage_idle");
  EXPECT_EQ(table.Name(b), "host");
  EXPECT_EQ(table.Name(kEmptySymbol), "");
  EXPECT_EQ(table.Find("host"), b);
  EXPECT_EQ(table.Find("nope"), std::nullopt);
  EXPECT_EQ(table.size(), 3u);
}

TEST(SymbolTableTest, NameViewsSurviveGrowth) {
  SymbolTable table;
  const SymbolId first = table.Intern("first");
  const std::string_view view = table.Name(first);
  for (int i = 0; i < 20000; ++i) table.Intern("key_" + std::to_string(i));
  EXPECT_EQ(view.data(), table.Name(first).data());
  EXPECT_EQ(table.Name(table.Intern("key_12345")), "key_12345");
  EXPECT_EQ(table.size(), 20002u);
}

TEST(SymbolTableTest, ConcurrentInternAgrees) {
  SymbolTable table;
  std::vector<std::vector<SymbolId>> ids(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) ids[t].push_back(table.Intern("k" + std::to_string(i % 500)));
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 1; t < 4; ++t) EXPECT_EQ(ids[t], ids[0]);
  EXPECT_EQ(table.size(), 501u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(table.Name(ids[0][i]), "k" + std::to_string(i));
}

Point SamplePoint() {
  Point p;
  p.set_measurement("cpu");
  p.set_database("telegraf");
  p.set_retention_policy("autogen");
  p.set_time(1465839830100400200);
  p.SetTag(Intern("region"), "us-west");
  p.SetTag(Intern("host"), "serverA");
  p.SetField(Intern("usage_user"), Value::Float(80.1));
  p.SetField(Intern("usage_idle"), Value::Float(5));
  p.SetField(Intern("msg"), Value::String("hi"));
  return p;
}

TEST(PointTest, TagsAndFieldsAreSortedByName) {
  const Point p = SamplePoint();
  ASSERT_EQ(p.tags().size(), 2u);
  EXPECT_EQ(SymbolName(p.tags()[0].key), "host");
  EXPECT_EQ(SymbolName(p.tags()[1].key), "region");
  ASSERT_EQ(p.fields().size(), 3u);
  EXPECT_EQ(SymbolName(p.fields()[0].key), "msg");
  EXPECT_EQ(SymbolName(p.fields()[1].key), "usage_idle");
  EXPECT_EQ(SymbolName(p.fields()[2].key), "usage_user");
  EXPECT_EQ(ToLineProtocol(p),
            "cpu,host=serverA,region=us-west msg=\"hi\",usage_idle=5.0,usage_user=80.1 "
            "1465839830100400200");
  EXPECT_EQ(DebugString(p),
            "telegraf.autogen cpu,host=serverA,region=us-west msg=\"hi\",usage_idle=5.0,"
            "usage_user=80.1 1465839830100400200");
}

TEST(PointTest, FindSetReplaceRemove) {
  Point p = SamplePoint();
  const SymbolId host = Intern("host");
  const SymbolId idle = Intern("usage_idle");
  ASSERT_NE(p.FindTag(host), nullptr);
  EXPECT_EQ(p.FindTag(host)->value, "serverA");
  EXPECT_EQ(p.FindTag(Intern("absent")), nullptr);
  ASSERT_NE(p.FindField(idle), nullptr);
  EXPECT_EQ(p.FindField(idle)->value, Value::Float(5));

  p.SetTag(host, "serverB");
  p.SetField(idle, Value::Int(7));
  EXPECT_EQ(p.FindTag(host)->value, "serverB");
  EXPECT_EQ(p.FindField(idle)->value, Value::Int(7));
  EXPECT_EQ(p.tags().size(), 2u);
  EXPECT_EQ(p.fields().size(), 3u);

  EXPECT_TRUE(p.RemoveTag(host));
  EXPECT_FALSE(p.RemoveTag(host));
  EXPECT_TRUE(p.RemoveField(Intern("msg")));
  EXPECT_FALSE(p.RemoveField(Intern("msg")));
  EXPECT_EQ(ToLineProtocol(p),
            "cpu,region=us-west usage_idle=7i,usage_user=80.1 1465839830100400200");
}

TEST(PointTest, SetFieldCopiesStrings) {
  Point p;
  std::string s = "mutable";
  p.SetField(Intern("s"), Value::String(s));
  s[0] = 'X';
  EXPECT_EQ(p.FindField(Intern("s"))->value.string_value(), "mutable");
}

TEST(PointTest, ViewsStayValidWhileAddingStrings) {
  Point p;
  p.set_measurement("m");
  p.SetTag(Intern("a"), "first");
  const std::string_view first = p.FindTag(Intern("a"))->value;
  for (int i = 0; i < 1000; ++i) {
    p.SetField(Intern("f" + std::to_string(i % 10)), Value::String(std::string(100, 'x')));
  }
  EXPECT_EQ(first, "first");
  EXPECT_EQ(p.measurement(), "m");
}

TEST(PointTest, CopyIsDeepAndIndependent) {
  auto original = std::make_unique<Point>(SamplePoint());
  Point copy(*original);
  EXPECT_EQ(copy, *original);
  EXPECT_NE(copy.measurement().data(), original->measurement().data());
  EXPECT_NE(copy.tags()[0].value.data(), original->tags()[0].value.data());
  EXPECT_NE(copy.fields()[0].value.string_value().data(),
            original->fields()[0].value.string_value().data());
  original->SetTag(Intern("host"), "changed");
  EXPECT_EQ(copy.FindTag(Intern("host"))->value, "serverA");
  const std::string before = DebugString(copy);
  original.reset();
  EXPECT_EQ(DebugString(copy), before);

  Point assigned;
  assigned.set_measurement("other");
  assigned = copy;
  EXPECT_EQ(assigned, copy);
  assigned = assigned;  // self-assignment is a no-op
  EXPECT_EQ(DebugString(assigned), before);
}

TEST(PointTest, MoveKeepsViews) {
  Point p = SamplePoint();
  const char* data = p.tags()[0].value.data();
  Point moved(std::move(p));
  EXPECT_EQ(moved.tags()[0].value.data(), data);
  EXPECT_EQ(moved.FindTag(Intern("host"))->value, "serverA");
}

TEST(PointTest, ClearKeepsCapacity) {
  Point p = SamplePoint();
  for (int i = 0; i < 50; ++i) p.SetTag(Intern("t" + std::to_string(i)), std::string(40, 'v'));
  p.Clear();
  EXPECT_EQ(p.measurement(), "");
  EXPECT_EQ(p.database(), "");
  EXPECT_EQ(p.time(), 0);
  EXPECT_TRUE(p.tags().empty());
  EXPECT_TRUE(p.fields().empty());
  const size_t capacity = p.arena_capacity();
  EXPECT_GE(capacity, 50u * 40u);
  for (int i = 0; i < 50; ++i) p.SetTag(Intern("t" + std::to_string(i)), std::string(40, 'v'));
  EXPECT_EQ(p.arena_capacity(), capacity);
}

TEST(PointTest, EqualityComparesEverything) {
  const Point a = SamplePoint();
  Point b = SamplePoint();
  EXPECT_EQ(a, b);
  b.set_time(1);
  EXPECT_FALSE(a == b);
  b = a;
  b.set_retention_policy("other");
  EXPECT_FALSE(a == b);
  b = a;
  b.SetField(Intern("usage_idle"), Value::Int(5));
  EXPECT_FALSE(a == b);
}

std::string FieldText(Value v) {
  std::string out;
  AppendFieldValue(v, &out);
  return out;
}

TEST(PointTest, FieldValueText) {
  EXPECT_EQ(FieldText(Value::Float(5)), "5.0");
  EXPECT_EQ(FieldText(Value::Float(-0.0)), "-0.0");
  EXPECT_EQ(FieldText(Value::Float(0.1)), "0.1");
  EXPECT_EQ(FieldText(Value::Float(80.1)), "80.1");
  EXPECT_EQ(FieldText(Value::Float(1e300)), "1e+300");
  EXPECT_EQ(FieldText(Value::Float(1e21)), "1e+21");
  EXPECT_EQ(FieldText(Value::Float(123456789.0)), "123456789.0");
  EXPECT_EQ(FieldText(Value::Float(5e-324)), "5e-324");
  EXPECT_EQ(FieldText(Value::Float(std::numeric_limits<double>::max())), "1.7976931348623157e+308");
  EXPECT_EQ(FieldText(Value::Float(std::nan(""))), "NaN");
  EXPECT_EQ(FieldText(Value::Float(-INFINITY)), "-Inf");
  EXPECT_EQ(FieldText(Value::Int(-12)), "-12i");
  EXPECT_EQ(FieldText(Value::Int(std::numeric_limits<int64_t>::min())), "-9223372036854775808i");
  EXPECT_EQ(FieldText(Value::Uint(std::numeric_limits<uint64_t>::max())), "18446744073709551615u");
  EXPECT_EQ(FieldText(Value::Bool(true)), "true");
  EXPECT_EQ(FieldText(Value::Bool(false)), "false");
  EXPECT_EQ(FieldText(Value::String("a \"quoted\" \\ back\\slash, x=y")),
            R"("a \"quoted\" \\ back\\slash, x=y")");
}

TEST(PointTest, LineProtocolEscaping) {
  Point p;
  p.set_measurement("my meas,x=y");
  p.SetTag(Intern("tag key=1,"), "va lue=2,");
  p.SetField(Intern("field key=,"), Value::Bool(true));
  p.set_time(-5);
  EXPECT_EQ(ToLineProtocol(p),
            R"(my\ meas\,x=y,tag\ key\=1\,=va\ lue\=2\, field\ key\=\,=true -5)");
  EXPECT_EQ(DebugString(p), std::string(R"(""."" )") + ToLineProtocol(p));
}

TEST(PointTest, NoFieldsPrintsKeyAndTime) {
  Point p;
  p.set_measurement("cpu");
  p.SetTag(Intern("host"), "a");
  EXPECT_EQ(ToLineProtocol(p), "cpu,host=a 0");
}

}  // namespace
}  // namespace tick::nodes
