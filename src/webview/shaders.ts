// GLSL for the light field (WebGL 1 + instancing). Everything is drawn with additive blending, so
// overlapping light adds up the way light does.

/** Camera and time, shared by every draw call. */
const VIEW = /* glsl */ `
uniform vec2 center;
uniform float zoom;      // pixels per world unit
uniform vec2 viewport;   // canvas size in pixels
uniform float mixT;      // 0..1 tween from the previous layout to the new one
uniform float time;      // seconds
uniform float motion;    // 1, or 0 when reduced motion is asked for
vec4 project(vec2 p) {
  return vec4((p - center) * zoom * 2.0 / viewport, 0.0, 1.0);
}
// Light that arrived at igniteAt and fades; with reduced motion it holds longer and does not flicker.
float received(float energy, float igniteAt) {
  float age = time - igniteAt;
  if (age < 0.0 || energy <= 0.0) return 0.0;
  return energy * exp(-age / mix(8.0, 3.0, motion));
}
`;

export const NEURON_VERT = /* glsl */ `
precision highp float;
${VIEW}
uniform vec3 palette[6];
uniform float rest;       // resting brightness, lowered when many neurons share a pixel
attribute vec2 posA, posB;
attribute float tone, size, recency, energy, igniteAt;
varying vec3 vColor;
varying float vCore;
void main() {
  vec2 p = mix(posA, posB, mixT);
  gl_Position = project(p);
  float lit = received(energy, igniteAt);
  // Frequency = recency: recently used words pulse faster (and a little brighter).
  float phase = fract(sin(dot(posB, vec2(12.9898, 78.233))) * 43758.5453) * 6.2832;
  float pulse = 1.0 + motion * 0.45 * recency * sin(time * (0.8 + 5.0 * recency) + phase);
  float glow = rest * (0.55 + 0.6 * recency) * pulse + 1.6 * lit;
  // Lit neurons flare to a readable size at any zoom.
  gl_PointSize = clamp(max(size * zoom, 2.5) + 44.0 * min(lit, 1.2), 2.5, 96.0);
  vColor = palette[int(tone)] * glow;
  vCore = clamp(lit, 0.0, 1.0);
}
`;

export const NEURON_FRAG = /* glsl */ `
precision highp float;
varying vec3 vColor;
varying float vCore;
void main() {
  float d = length(gl_PointCoord - 0.5) * 2.0;
  if (d > 1.0) discard;
  float halo = exp(-d * d * 4.0);
  float core = exp(-d * d * 30.0) * (0.6 + vCore);
  gl_FragColor = vec4(vColor * halo + vec3(core) * length(vColor) * 0.5, 1.0);
}
`;

/**
 * Rays are plain line segments with the curve's points computed once per layout on the CPU:
 * software WebGL runs instanced draws and vertex-shader texture reads very slowly.
 */
export const RAY_VERT = /* glsl */ `
precision highp float;
${VIEW}
attribute vec2 pointA, pointB;   // this point of the (bent) ray in the old and the new layout
attribute vec2 meta;             // (t along the ray from its source, transition probability)
attribute vec2 light;            // (energy, igniteAt) of the ray's source neuron
varying float vT, vWeight, vAge, vEnergy;
void main() {
  gl_Position = project(mix(pointA, pointB, mixT));
  vT = meta.x;
  vWeight = meta.y;
  vAge = time - light.y;
  vEnergy = light.x;
}
`;

export const RAY_FRAG = /* glsl */ `
precision highp float;
uniform float rayRest;
uniform float motion;
varying float vT, vWeight, vAge, vEnergy;
void main() {
  vec3 restColor = vec3(0.25, 0.45, 0.9) * rayRest * (0.25 + vWeight);
  vec3 lit = vec3(0.0);
  if (vAge > 0.0 && vEnergy > 0.0) {
    float fade = exp(-vAge / mix(8.0, 3.0, motion));
    // Light travels from the source along the ray: a bright front with a trail behind it.
    float front = vAge * 1.6;
    float along = motion > 0.5 ? (vT <= front ? exp(-(front - vT) * 1.5) : 0.0) : 1.0;
    lit = vec3(1.0, 0.85, 0.55) * vEnergy * (0.3 + 1.5 * vWeight) * along * fade;
  }
  gl_FragColor = vec4(restColor + lit, 1.0);
}
`;

export const PEER_VERT = /* glsl */ `
precision highp float;
${VIEW}
attribute vec2 position;
attribute vec3 color;
varying vec3 vColor;
void main() {
  gl_Position = project(position);
  gl_PointSize = 56.0;
  vColor = color;
}
`;

export const PEER_FRAG = /* glsl */ `
precision highp float;
uniform float time;
uniform float motion;
varying vec3 vColor;
void main() {
  float d = length(gl_PointCoord - 0.5) * 2.0;
  if (d > 1.0) discard;
  float ringAt = 0.6 + 0.15 * motion * sin(time * 3.0);
  float ring = exp(-pow((d - ringAt) * 9.0, 2.0));
  float core = exp(-d * d * 12.0) * 0.7;
  gl_FragColor = vec4(vColor * (ring + core), 1.0);
}
`;

export const BACKLIGHT_VERT = /* glsl */ `
precision highp float;
attribute vec2 corner;
varying vec2 vUv;
void main() {
  vUv = corner;
  gl_Position = vec4(corner, 0.0, 1.0);
}
`;

/** Backlighting = global state: memory size sets the glow, growth makes it swell, the team tints it. */
export const BACKLIGHT_FRAG = /* glsl */ `
precision highp float;
uniform float level;   // 0..1 from the memory size
uniform float swell;   // 0..1 right after training or team growth
uniform float team;    // 0..1 team presence
uniform vec2 viewport;
varying vec2 vUv;
void main() {
  vec2 p = vUv * vec2(viewport.x / viewport.y, 1.0);
  float r = length(p);
  vec3 base = mix(vec3(0.05, 0.09, 0.22), vec3(0.16, 0.07, 0.24), team);
  float glow = (0.25 + 0.75 * level + 0.8 * swell) * exp(-r * r * 0.9);
  gl_FragColor = vec4(base * glow, 1.0);
}
`;

/** Tone mapping of the added-up light: bright crowds and flares saturate softly, never clip. */
export const TONEMAP_FRAG = /* glsl */ `
precision highp float;
uniform sampler2D light;
varying vec2 vUv;
void main() {
  vec3 c = texture2D(light, vUv * 0.5 + 0.5).rgb;
  gl_FragColor = vec4(vec3(1.0) - exp(-1.4 * c), 1.0);
}
`;
