// Penalties and markers shared by the line breaker (line_breaking.cpp) and the paragraph
// builder that makes its break items (paragraph_builder.cpp).
#pragma once

namespace typeset {

// Knuth–Plass constants, as in TeX (plain.tex) unless noted.
constexpr double fill_stretch = 1e6;  // the paragraph's final glue: "0pt plus 1fil"
constexpr double line_penalty = 10;
constexpr double double_hyphen_demerits = 10000;
constexpr double final_hyphen_demerits = 5000;
constexpr double adjacent_demerits = 10000;  // a tight line next to a very loose one
constexpr double infinite_badness = 10000;
constexpr double overflow_demerits = 1e8;          // per point over the measure (emergency pass)
constexpr double too_many_hyphens_demerits = 1e7;  // emergency pass only

constexpr int justified_hyphen_penalty = 50;
constexpr int ragged_hyphen_penalty = 200;  // ragged text needs hyphens less
constexpr int explicit_hyphen_penalty = 50;
constexpr int dash_penalty = 50;
// Breaking inside a code token is a last resort before loose lines: a line ending "Arc::"
// costs about as much as one with spaces near the largest stretch accepted.
constexpr int code_break_penalty = 600;      // after :: . , (and / in paths), before (
constexpr int code_space_penalty = 50;       // a space inside inline code
constexpr int emergency_char_penalty = 900;  // inside a token wider than the measure
constexpr int lone_dash_penalty = 5000;      // a line starting with a spaced dash
// Breaks with a penalty this high are taken only by the emergency pass.
constexpr int last_resort_penalty = lone_dash_penalty;

// Justified spaces stretch by half their width per unit of ratio: a ratio of 2 makes them
// twice their natural width, the widest a justified line may have them.
constexpr double max_justified_ratio = 2;

constexpr char soft_hyphen_marker = '\x01';
constexpr char zero_width_break_marker = '\x02';

}  // namespace typeset
