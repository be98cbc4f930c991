#include "anki/deck_config.hpp"

namespace anki {

util::JsonValue deck_json(const DeckEntry& deck, std::int64_t mod, int usn) {
  using util::JsonArray;
  return util::JsonObject{
      {"id", deck.id},
      {"name", deck.name},
      {"mod", mod},
      {"usn", usn},
      {"collapsed", false},
      {"browserCollapsed", false},
      {"dyn", 0},
      {"conf", 1},
      {"desc", deck.description},
      {"extendNew", 0},
      {"extendRev", 50},
      {"lrnToday", JsonArray{0, 0}},
      {"revToday", JsonArray{0, 0}},
      {"newToday", JsonArray{0, 0}},
      {"timeToday", JsonArray{0, 0}},
  };
}

util::JsonValue default_options_json() {
  using util::JsonArray;
  using util::JsonObject;
  return JsonObject{
      {"1",
       JsonObject{
           {"id", 1},
           {"name", "Default"},
           {"mod", collection_created_seconds},
           {"usn", 0},
           {"maxTaken", 60},
           {"autoplay", true},
           {"replayq", true},
           {"timer", 0},
           {"dyn", false},
           {"new", JsonObject{{"bury", true},
                              {"delays", JsonArray{1, 10}},
                              {"initialFactor", 2500},
                              {"ints", JsonArray{1, 4, 7}},
                              {"order", 1},
                              {"perDay", 20},
                              {"separate", true}}},
           {"rev", JsonObject{{"bury", true},
                              {"ease4", 1.3},
                              {"fuzz", 0.05},
                              {"ivlFct", 1},
                              {"maxIvl", 36500},
                              {"minSpace", 1},
                              {"perDay", 100}}},
           {"lapse", JsonObject{{"delays", JsonArray{10}},
                                {"leechAction", 0},
                                {"leechFails", 8},
                                {"minInt", 1},
                                {"mult", 0}}},
       }},
  };
}

}  // namespace anki
