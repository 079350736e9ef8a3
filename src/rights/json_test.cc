#include "rights/json.h"

#include <gtest/gtest.h>

namespace steward::rights {
namespace {

void ExpectField(const Result<IntakeInput>& r, const std::string& field) {
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, field) << r.error().message;
}

TEST(IntakeJsonTest, ParsesAFullBody) {
  auto r = ParseIntakeJson(R"({"type":"access","jurisdiction":"US-CA","identity":{"email":"a@b.co","name":"A"},
    "signed_declaration":true,"lookback_all":true,"agent":{"name":"Ag","email":"g@h.co","authority":"signed_permission",
    "document_ref":"d1"},"details":"x","channel":"email"})");
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->type, "access");
  EXPECT_EQ(r->identity.at("name"), "A");
  EXPECT_TRUE(r->signed_declaration);
  EXPECT_TRUE(r->lookback_all);
  ASSERT_TRUE(r->agent);
  EXPECT_EQ(r->agent->authority, "signed_permission");
  EXPECT_EQ(r->channel, "email");
}

TEST(IntakeJsonTest, BadBodiesNameTheField) {
  ExpectField(ParseIntakeJson("{not json"), "body");
  ExpectField(ParseIntakeJson("[1,2]"), "body");
  ExpectField(ParseIntakeJson(""), "body");
  ExpectField(ParseIntakeJson(R"({"jurisdiction":"US-CA","identity":{}})"), "type");
  ExpectField(ParseIntakeJson(R"({"type":5,"jurisdiction":"US-CA","identity":{}})"), "type");
  ExpectField(ParseIntakeJson(R"({"type":"delete","identity":{}})"), "jurisdiction");
  ExpectField(ParseIntakeJson(R"({"type":"delete","jurisdiction":"US-CA"})"), "identity");
  ExpectField(ParseIntakeJson(R"({"type":"delete","jurisdiction":"US-CA","identity":{"email":1}})"), "identity.email");
  ExpectField(ParseIntakeJson(R"({"type":"delete","jurisdiction":"US-CA","identity":{},"signed_declaration":"yes"})"),
              "signed_declaration");
  ExpectField(ParseIntakeJson(R"({"type":"delete","jurisdiction":"US-CA","identity":{},"agent":"me"})"), "agent");
  ExpectField(ParseIntakeJson(R"({"type":"delete","jurisdiction":"US-CA","identity":{},"agent":{"role":"x"}})"), "agent.role");
  ExpectField(ParseIntakeJson(R"({"type":"delete","jurisdiction":"US-CA","identity":{},"admin":true})"), "admin");
}

TEST(ActionJsonTest, VerifyDenyAndTextBodies) {
  auto v = ParseVerifyJson(R"({"code":"123456","confirm_agent":true})");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->code, "123456");
  EXPECT_EQ(v->confirm_agent, true);
  EXPECT_EQ(ParseVerifyJson(R"({"code":123456})").error().field, "code");
  EXPECT_EQ(ParseVerifyJson(R"({})").error().field, "code");
  EXPECT_EQ(ParseVerifyJson(R"({"code":"1","confirm_agent":"yes"})").error().field, "confirm_agent");
  EXPECT_EQ(ParseDenyJson(R"({"explanation":"x"})").error().field, "reason");
  EXPECT_EQ(*ParseTextFieldJson("", "reason"), "");
  EXPECT_EQ(*ParseTextFieldJson(R"({"reason":"busy"})", "reason"), "busy");
  EXPECT_EQ(ParseTextFieldJson(R"({"why":"busy"})", "reason").error().field, "why");
}

TEST(ViewJsonTest, ConsumerViewsCarryNoIdentity) {
  RequestView v;
  v.id = "req_x";
  v.status = "denied";
  v.identity = {{"email", "a@b.co"}};
  v.denial_reason = "unverifiable";
  v.denial_explanation = "Could not verify.";
  v.events.push_back(EventView{1, {}, "admin:tok", "received", "", "", "", true});
  auto consumer = ToJson(v, false);
  EXPECT_FALSE(consumer.contains("identity"));
  EXPECT_FALSE(consumer["events"][0].contains("actor"));
  EXPECT_EQ(consumer["outcome"]["reason"], "unverifiable");
  auto admin = ToJson(v, true);
  EXPECT_EQ(admin["identity"]["email"], "a@b.co");
  EXPECT_EQ(admin["events"][0]["actor"], "admin:tok");
}

}  // namespace
}  // namespace steward::rights
