# The bundled models (README.md), shared by the host build (CMakeLists.txt) and the cross build
# (firmware.cmake). TINYSIM_BUNDLED_MODELS lists file names without ".tflite";
# tinysim_model_symbol() gives the C identifier the importer and the firmware use for one.
set(TINYSIM_BUNDLED_MODELS
  kws_ref_model
  kws_ref_model.logits
  vww_96_int8
  vww_96_int8.logits
  pretrainedResnet_quant
  pretrainedResnet_quant.logits
  ad01_int8)

function(tinysim_model_symbol model out)
  string(MAKE_C_IDENTIFIER "${model}" symbol)
  set(${out} ${symbol} PARENT_SCOPE)
endfunction()
