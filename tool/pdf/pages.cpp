#include "pdf/pages.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>

namespace pdf {
namespace {

std::string number(double value) {
  // Avoid "-0.00" so that dumps do not depend on the sign of a rounding error.
  if (std::fabs(value) < 0.005) {
    value = 0;
  }
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

std::string color(const model::Color& c) {
  const auto channel = [](double v) {
    return static_cast<unsigned>(std::lround(std::fmax(0.0, std::fmin(1.0, v)) * 255.0));
  };
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", channel(c.r), channel(c.g), channel(c.b));
  return buffer;
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

struct ItemDumper {
  std::string& out;
  void operator()(const TextRun& run) const {
    out += "  text " + number(run.x) + " " + number(run.y) + " f" + std::to_string(run.face) + " " +
           number(run.size) + " " + color(run.color) + " " + quoted(run.text) + "\n";
  }
  void operator()(const Rule& rule) const {
    out += "  rule " + number(rule.x1) + " " + number(rule.y1) + " " + number(rule.x2) + " " +
           number(rule.y2) + " w" + number(rule.width) + " " + color(rule.color) + "\n";
  }
  void operator()(const Box& box) const {
    out += "  box " + number(box.x) + " " + number(box.y) + " " + number(box.width) + "x" +
           number(box.height) + (box.filled ? " " + color(box.fill) : std::string(" -")) +
           (box.stroke_width > 0 ? " stroke w" + number(box.stroke_width) + " " + color(box.stroke)
                                 : std::string()) +
           "\n";
  }
  void operator()(const Image& image) const {
    out += "  image " + number(image.x) + " " + number(image.y) + " " + number(image.width) + "x" +
           number(image.height) + " " +
           quoted(std::filesystem::path(image.file).filename().string()) + "\n";
  }
};

}  // namespace

void transform_page(Page& page, double scale, double dx, double dy) {
  const auto tx = [&](double x) { return x * scale + dx; };
  const auto ty = [&](double y) { return y * scale + dy; };
  for (Item& item : page.items) {
    if (auto* run = std::get_if<TextRun>(&item)) {
      run->x = tx(run->x);
      run->y = ty(run->y);
      run->size *= scale;
    } else if (auto* rule = std::get_if<Rule>(&item)) {
      rule->x1 = tx(rule->x1);
      rule->y1 = ty(rule->y1);
      rule->x2 = tx(rule->x2);
      rule->y2 = ty(rule->y2);
      rule->width *= scale;
    } else if (auto* box = std::get_if<Box>(&item)) {
      box->x = tx(box->x);
      box->y = ty(box->y);
      box->width *= scale;
      box->height *= scale;
      box->stroke_width *= scale;
    } else if (auto* image = std::get_if<Image>(&item)) {
      image->x = tx(image->x);
      image->y = ty(image->y);
      image->width *= scale;
      image->height *= scale;
    }
  }
  for (Link& link : page.links) {
    link.x = tx(link.x);
    link.y = ty(link.y);
    link.width *= scale;
    link.height *= scale;
  }
  for (Destination& destination : page.destinations) {
    destination.top = ty(destination.top);
  }
}

std::string dump_pages(const Pages& pages) {
  std::string out;
  for (std::size_t i = 0; i < pages.fonts.size(); ++i) {
    out += "font f" + std::to_string(i) + " " + quoted(pages.fonts[i].label) + "\n";
  }
  for (const PageLabel& label : pages.labels) {
    out += "label from " + std::to_string(label.first_page) + " " +
           (label.style == LabelStyle::lower_roman ? "roman" : "decimal") + " " +
           std::to_string(label.first_number) + "\n";
  }
  for (const OutlineEntry& entry : pages.outline) {
    out += "outline " + std::string(static_cast<std::size_t>(entry.level) * 2, ' ') +
           quoted(entry.title) + " -> " + entry.anchor + (entry.open ? " open" : "") + "\n";
  }
  for (std::size_t i = 0; i < pages.pages.size(); ++i) {
    const Page& page = pages.pages[i];
    out += "page " + std::to_string(i + 1) + " " + number(page.width) + "x" + number(page.height) +
           "\n";
    for (const Destination& destination : page.destinations) {
      out += "  dest " + destination.anchor + " " + number(destination.top) + "\n";
    }
    for (const Item& item : page.items) {
      std::visit(ItemDumper{out}, item);
    }
    for (const Link& link : page.links) {
      out += "  link " + number(link.x) + " " + number(link.y) + " " + number(link.width) + "x" +
             number(link.height) + " -> " + (link.uri.empty() ? "#" + link.anchor : link.uri) +
             "\n";
    }
  }
  return out;
}

}  // namespace pdf
